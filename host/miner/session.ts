/**
 * A mining session on the host: a core (model or RTL) and the firmware's application (src/app)
 * on it, optionally with the status API. `kilohash mine` and `kilohash demo` are thin layers
 * over this.
 */
import { hostname, networkInterfaces } from 'node:os';
import { type Settings } from '../../src/config/settings.ts';
import { MinerApp } from '../../src/app/miner-app.ts';
import type { Miner, MinerEvent } from '../../src/miner/miner.ts';
import { minerStatus, type MinerStatus } from '../../src/miner/status.ts';
import type { Log, Storage, TransportFactory } from '../../src/platform/interfaces.ts';
import type { StratumClientOptions } from '../../src/stratum/client.ts';
import { type CoreSpec, openCore, type OpenedCore } from '../core/open-core.ts';
import type { Pipeline } from '../rtl/pipeline.ts';
import { keepAliveClock, nodeTransport } from '../platform/node.ts';
import { startApiServer, type ApiServer } from './http-server.ts';

export interface SessionOptions {
  settings: Settings;
  core: CoreSpec;
  engines?: number;
  /** RTL core: the pipelined engine (open-core.ts). */
  pipeline?: Pipeline;
  /** Model core: hash at this rate (nonces per second), as a board of that speed would. */
  hashesPerSecond?: number;
  /** Log the status as a console line this often, as the device does (console-line.ts). */
  consoleStatusSeconds?: number;
  /** Serve the API and dashboard on this port (0: any free port; undefined: no server). */
  httpPort?: number;
  httpBind?: string;
  /** A built AxeOS web UI to serve instead of the kilohash pages. */
  www?: string;
  log?: Log;
  onEvent?(e: MinerEvent): void;
  selfTest?: boolean;
  stratum?: Partial<StratumClientOptions>;
  pollMs?: number;
  /** Keeps the all-time best difficulty across runs. */
  storage?: Storage;
  /** The pool connection (default: Node's TCP/TLS); tests wrap it to watch the wire. */
  transport?: TransportFactory;
}


export class MiningSession {
  readonly app: MinerApp;
  readonly core: OpenedCore;
  api: ApiServer | undefined;
  private readonly o: SessionOptions;
  private last: Miner | undefined;

  private constructor(o: SessionOptions, core: OpenedCore) {
    this.o = o;
    this.core = core;
    this.app = new MinerApp({
      settings: o.settings,
      clock: keepAliveClock,
      transport: o.transport ?? nodeTransport,
      openCore: () => core.link,
      // The session owns the core: it is closed in stop(), not between bring-up attempts.
      closeCore: () => {},
      ...(o.storage ? { storage: o.storage } : {}),
      ...(o.log ? { log: o.log } : {}),
      hostname: hostname(),
      boardName: core.describe,
      runtime: `Node ${process.version}`,
      device: hostFacts,
      identify: () => o.log?.('info', 'identify: this host has no LED; the request is logged'),
      tuning: { ...(o.selfTest !== undefined ? { selfTest: o.selfTest } : {}), ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}), ...(o.stratum ? { stratum: o.stratum } : {}) },
      onEvent: (e) => o.onEvent?.(e),
      ...(o.consoleStatusSeconds !== undefined ? { consoleStatusSeconds: o.consoleStatusSeconds } : {}),
    });
  }

  static async start(o: SessionOptions): Promise<MiningSession> {
    const s = new MiningSession(o, openCore({ ...o.core, engines: o.engines, ...(o.pipeline ? { pipeline: o.pipeline } : {}), ...(o.hashesPerSecond !== undefined ? { hashesPerSecond: o.hashesPerSecond } : {}) }));
    try {
      await s.startMiner();
      if (o.httpPort !== undefined) s.api = await startApiServer(s.app.api, { port: o.httpPort, ...(o.httpBind ? { bind: o.httpBind } : {}), ...(o.www ? { www: o.www } : {}) });
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  get settings(): Settings {
    return this.app.settings;
  }

  /** The miner (the last one while a restart is under way). */
  get miner(): Miner {
    return this.app.miner ?? this.last!;
  }

  status(): MinerStatus {
    return minerStatus(this.miner, keepAliveClock.now());
  }

  /** Energy figures change at once; pool settings wait for restart(). */
  applySettings(next: Settings): void {
    this.app.applySettings(next);
  }

  async restart(): Promise<void> {
    await this.app.stop();
    await this.startMiner();
  }

  async stop(): Promise<void> {
    await this.app.stop().catch(() => {});
    await this.api?.close();
    await this.core?.close();
  }

  private async startMiner(): Promise<void> {
    await this.app.start();
    const st = this.app.state;
    if (st.kind === 'core-fault') throw new Error(st.reason);
    if (st.kind === 'setup') throw new Error('no pool user set (--user)');
    this.last = this.app.miner;
  }
}

/** The host's first external network interface, as AxeOS shows the board's Wi-Fi address. */
function hostFacts(): { ipv4?: string; ipv6?: string; macAddr?: string } {
  for (const list of Object.values(networkInterfaces())) {
    const v4 = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (!v4) continue;
    const v6 = list?.find((a) => a.family === 'IPv6' && !a.internal);
    return { ipv4: v4.address, macAddr: v4.mac.toUpperCase(), ...(v6 ? { ipv6: v6.address } : {}) };
  }
  return {};
}
