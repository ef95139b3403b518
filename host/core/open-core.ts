/**
 * Opens a mining core on the host by name: the behavioural model (one stream, or one worker
 * thread per engine) or the RTL under Verilator or Icarus. Everything above this — driver,
 * scan, miner — sees only a CoreLink.
 */
import type { CoreLink } from '../../src/core/link.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { CosimLink } from '../cosim/bridge.ts';
import { ThreadedModelLink } from '../sim/threaded-model.ts';
import { hostClock } from '../platform/node.ts';

export const CORE_KINDS = ['model', 'verilator', 'icarus'] as const;
export type CoreKind = (typeof CORE_KINDS)[number];

export interface OpenCoreOptions {
  kind: CoreKind;
  /** Model: worker threads (1 = hash on the main thread). RTL: engines instantiated. */
  engines?: number;
  /** RTL: what CLOCK_HZ reports (default 36 MHz, the UP5K build's PLL target). */
  clockHz?: number;
}

export interface OpenedCore {
  link: CoreLink;
  /** Nonces per work that keep this core busy for a fraction of a second. */
  workSize: number;
  describe: string;
  close(): Promise<void>;
}

export function openCore(o: OpenCoreOptions): OpenedCore {
  const engines = o.engines ?? 1;
  if (o.kind === 'model') {
    const link = engines === 1
      ? new ModelLink({ clock: hostClock, defer: setImmediate })
      : new ThreadedModelLink({ engines, clock: hostClock });
    return {
      link,
      workSize: 1 << 20,
      describe: `behavioural model, ${engines === 1 ? 'main thread' : `${engines} worker threads`}`,
      close: async () => { await link.close(); },
    };
  }
  const link = CosimLink.start({ simulator: o.kind, engines, clockHz: o.clockHz ?? 36_000_000 });
  return {
    link,
    workSize: o.kind === 'verilator' ? 1 << 14 : 1 << 8,
    describe: `RTL under ${o.kind === 'verilator' ? 'Verilator' : 'Icarus Verilog'}, ${engines} engine${engines === 1 ? '' : 's'}`,
    close: () => link.close(),
  };
}
