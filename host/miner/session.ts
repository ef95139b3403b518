/**
 * A mining session on the host: a core (model or RTL), the firmware's Miner on it, and
 * optionally the status API. `kilohash mine` and `kilohash demo` are thin layers over this.
 */
import { hostname } from 'node:os';
import { type Settings } from '../../src/config/settings.ts';
import { energyFromSettings, minerOptionsFromSettings, readBestDifficulty, saveBestDifficulty } from '../../src/miner/from-settings.ts';
import { Miner, type MinerEvent } from '../../src/miner/miner.ts';
import { minerStatus, systemInfo, type MinerStatus } from '../../src/miner/status.ts';
import type { Log, Storage, TransportFactory } from '../../src/platform/interfaces.ts';
import type { StratumClientOptions } from '../../src/stratum/client.ts';
import { type CoreKind, openCore, type OpenedCore } from '../core/open-core.ts';
import { hostClock, nodeTransport } from '../platform/node.ts';
import { startApiServer, type ApiServer } from './http-server.ts';

export interface SessionOptions {
  settings: Settings;
  core: CoreKind;
  engines?: number;
  /** Serve the API and dashboard on this port (0: any free port; undefined: no server). */
  httpPort?: number;
  httpBind?: string;
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
  miner!: Miner;
  core!: OpenedCore;
  api: ApiServer | undefined;
  settings: Settings;
  private readonly o: SessionOptions;
  private bestEver = 0;

  private constructor(o: SessionOptions) {
    this.o = o;
    this.settings = o.settings;
  }

  static async start(o: SessionOptions): Promise<MiningSession> {
    const s = new MiningSession(o);
    s.bestEver = readBestDifficulty(o.storage);
    s.core = openCore({ kind: o.core, engines: o.engines });
    try {
      await s.startMiner();
      if (o.httpPort !== undefined) {
        s.api = await startApiServer({
          info: () => s.info(),
          status: () => s.status(),
          settings: () => s.settings,
          saveSettings: (next) => s.applySettings(next),
          restart: () => void s.restart(),
        }, o.httpPort, o.httpBind);
      }
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  status(): MinerStatus {
    return minerStatus(this.miner, hostClock.now());
  }

  info(): ReturnType<typeof systemInfo> {
    return systemInfo(this.status(), { hostname: hostname(), boardName: this.core.describe });
  }

  /** Energy figures change at once; pool settings wait for restart(). */
  applySettings(next: Settings): void {
    this.settings = next;
    Object.assign(this.miner.energy, energyFromSettings(next));
  }

  async restart(): Promise<void> {
    this.bestEver = Math.max(this.bestEver, this.miner.counters.bestEver);
    await this.miner.stop();
    await this.startMiner();
  }

  async stop(): Promise<void> {
    await this.miner?.stop().catch(() => {});
    await this.api?.close();
    await this.core?.close();
  }

  private async startMiner(): Promise<void> {
    this.miner = new Miner({
      ...minerOptionsFromSettings(this.settings),
      transport: this.o.transport ?? nodeTransport,
      clock: hostClock,
      link: this.core.link,
      log: this.o.log,
      bestEver: this.bestEver,
      selfTest: this.o.selfTest,
      pollMs: this.o.pollMs,
      stratum: this.o.stratum,
      onEvent: (e) => {
        if (e.type === 'best' && e.ever) {
          this.bestEver = e.difficulty;
          saveBestDifficulty(this.o.storage, e.difficulty, (text) => this.o.log?.('warn', text));
        }
        this.o.onEvent?.(e);
      },
    });
    await this.miner.start();
  }
}
