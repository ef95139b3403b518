/**
 * Opens a mining core on the host by name: the behavioural model (one stream, or one worker
 * thread per engine), the RTL under Verilator or Icarus, a real core behind an Espruino
 * board's SPI bridge, or the UART core on a serial line (a USB FPGA board, the virtual board).
 * Everything above this — driver, scan, miner — sees only a CoreLink.
 */
import type { CoreLink } from '../../src/core/link.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { CosimLink } from '../rtl/cosim/bridge.ts';
import { describePipeline, type Pipeline } from '../rtl/pipeline.ts';
import { EspruinoLink } from '../espruino/espruino-link.ts';
import { parseConsolePort } from '../serial/console-port.ts';
import { SerialCoreLink } from '../serial/serial-link.ts';
import { UART_DEFAULT_BAUD } from '../../src/core/protocol.ts';
import { ThreadedModelLink } from '../model/threaded-model.ts';
import { keepAliveClock } from '../platform/node.ts';

export const CORE_KINDS = ['model', 'verilator', 'icarus'] as const;
export type CoreKind = (typeof CORE_KINDS)[number];

/** Which core: a simulated one by name, or a board reached through a port. */
export type CoreSpec = { kind: CoreKind } | { kind: 'espruino' | 'serial'; port: string };

export const CORE_SPEC_HELP = "which core hashes: model, verilator, icarus, espruino:<port> (a board's core behind an Espruino SPI bridge; port = serial path or tcp://host:port), or serial:<path>[@baud] (the UART core on a USB FPGA board or `kilohash serial virtual-board`; default 3000000 baud)";

/** `model`, `verilator`, `icarus`, `espruino:<port>` or `serial:<port>`; throws with what is accepted. */
export function parseCoreSpec(value: string): CoreSpec {
  const kind = CORE_KINDS.find((k) => k === value);
  if (kind) return { kind };
  for (const prefix of ['espruino', 'serial'] as const) {
    if (!value.startsWith(`${prefix}:`)) continue;
    const port = value.slice(prefix.length + 1);
    parseConsolePort(port, prefix === 'serial' ? UART_DEFAULT_BAUD : undefined);
    return { kind: prefix, port };
  }
  throw new Error(`expected ${CORE_KINDS.join(', ')}, espruino:<port> or serial:<port>, not '${value}'`);
}

/** The spec as the user writes it. */
export function coreName(spec: CoreSpec): string {
  return spec.kind === 'espruino' || spec.kind === 'serial' ? `${spec.kind}:${spec.port}` : spec.kind;
}

export type OpenCoreOptions = CoreSpec & {
  /** Model: worker threads (1 = hash on the main thread). RTL: engines instantiated. */
  engines?: number;
  /** RTL: the pipelined engine for large FPGAs instead of lanes. */
  pipeline?: Pipeline;
  /** RTL: what CLOCK_HZ reports (default 36 MHz, the UP5K build's PLL target). */
  clockHz?: number;
  /** Model, one thread: hash at this many nonces per second, as a board of that speed would. */
  hashesPerSecond?: number;
};

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
    if (o.hashesPerSecond !== undefined && engines !== 1) throw new Error('a paced model hashes on the main thread: ask for one engine');
    const link = engines === 1
      ? new ModelLink({ clock: keepAliveClock, defer: setImmediate, ...(o.hashesPerSecond !== undefined ? { hashesPerSecond: o.hashesPerSecond } : {}) })
      : new ThreadedModelLink({ engines, clock: keepAliveClock });
    const paced = o.hashesPerSecond !== undefined ? `, paced to ${(o.hashesPerSecond / 1000).toFixed(0)} kH/s` : '';
    return {
      link,
      workSize: 1 << 20,
      describe: `behavioural model, ${engines === 1 ? 'main thread' : `${engines} worker threads`}${paced}`,
      close: async () => { await link.close(); },
    };
  }
  if (o.kind === 'espruino') {
    const link = new EspruinoLink({ port: o.port });
    return {
      link,
      // A board's core: as long as the UP5K's 0.68 MH/s takes about a second and a half.
      workSize: 1 << 20,
      describe: `core behind the Espruino bridge on ${link.port.text}`,
      close: () => link.close(),
    };
  }
  if (o.kind === 'serial') {
    const link = new SerialCoreLink({ port: o.port });
    return {
      link,
      workSize: 1 << 20,
      describe: `UART core on ${link.port.kind === 'serial' ? `${link.port.path} at ${link.port.baud} baud` : link.port.text}`,
      close: () => link.close(),
    };
  }
  const link = CosimLink.start({ simulator: o.kind, engines, clockHz: o.clockHz ?? 36_000_000, ...(o.pipeline ? { pipeline: o.pipeline } : {}) });
  const engine = o.pipeline ? `pipelined engine, ${describePipeline(o.pipeline)}` : `${engines} engine${engines === 1 ? '' : 's'}`;
  return {
    link,
    workSize: o.kind === 'verilator' ? 1 << 14 : 1 << 8,
    describe: `RTL under ${o.kind === 'verilator' ? 'Verilator' : 'Icarus Verilog'}, ${engine}`,
    close: () => link.close(),
  };
}
