/**
 * The miner application, assembled once for every host (the device boot, `kilohash mine` and
 * `demo`, the XS test controller): settings → Miner on a core, the all-time best difficulty
 * kept in Storage, the status API's host object, and a restart that takes new settings.
 *
 * | state        | means                                                  | leaves by              |
 * |--------------|--------------------------------------------------------|------------------------|
 * | `stopped`    | not started, or stopped                                | start()                |
 * | `setup`      | no pool user yet: nothing to mine for                  | settings + restart()   |
 * | `starting`   | bringing the core up (the device loads its FPGA)        | running or core-fault  |
 * | `core-fault` | the core could not be brought up (after one retry)     | restart()              |
 * | `running`    | the Miner runs (its own state says connecting, mining…) | stop(), restart()      |
 */
import type { Settings } from '../config/settings.ts';
import type { CoreLink } from '../core/link.ts';
import { energyFromSettings, minerOptionsFromSettings, readBestDifficulty, saveBestDifficulty } from '../miner/from-settings.ts';
import { Miner, type MinerEvent, type MinerOptions } from '../miner/miner.ts';
import { minerStatus, systemInfo, type MinerStatus } from '../miner/status.ts';
import type { Clock, Log, Storage, TransportFactory } from '../platform/interfaces.ts';
import type { ApiHost } from '../ui/api.ts';
import type { SettingsStore } from './settings-store.ts';

/** What a host hands the application. */
export interface AppPlatform {
  clock: Clock;
  transport: TransportFactory;
  /**
   * Brings the core up and returns its link; called on the first start and again for the one
   * retry after a failed bring-up (the device reloads its FPGA here). Throws with a reason the
   * user can act on (`CDONE never rose: …`).
   */
  openCore(): CoreLink | Promise<CoreLink>;
  /** Releases a link before it is opened again. */
  closeCore?(link: CoreLink): void | Promise<void>;
  /** The all-time best difficulty lives here (absent: kept for this run only). */
  storage?: Storage;
  log?: Log;
  hostname: string;
  boardName: string;
  /** The JS machine's memory, where the runtime can tell (Moddable's instrumentation). */
  memory?(): DeviceMemory | undefined;
}

/** XS memory as Moddable's instrumentation reports it, in bytes. */
export interface DeviceMemory {
  slotHeapBytes: number;
  chunkHeapBytes: number;
  /** The deepest the JS stack has been in the last instrumentation interval (about a second). */
  stackPeakBytes: number;
  keysUsed: number;
  garbageCollections: number;
  systemFreeBytes: number | null;
}

export interface AppOptions extends AppPlatform {
  settings: Settings;
  /** Where settings changes are kept (the device); without it they last until the process ends. */
  store?: SettingsStore;
  /** The device starts in its setup access point. */
  provisioning?: boolean;
  onEvent?(e: MinerEvent): void;
  /** Miner tuning the hosts' tests use (self-test, poll interval, Stratum timings). */
  tuning?: Pick<MinerOptions, 'selfTest' | 'pollMs' | 'stratum'>;
}

export type AppState =
  | { kind: 'stopped' }
  | { kind: 'setup' }
  | { kind: 'starting' }
  | { kind: 'core-fault'; reason: string }
  | { kind: 'running'; miner: Miner };

export class MinerApp {
  settings: Settings;
  state: AppState = { kind: 'stopped' };
  /** The device is in its setup access point (the page at / is the settings page). */
  provisioning: boolean;
  readonly api: ApiHost;
  readonly #o: AppOptions;
  readonly #log: Log;
  #link: CoreLink | undefined;
  #bestEver: number;

  constructor(options: AppOptions) {
    this.#o = options;
    this.#log = options.log ?? (() => {});
    this.settings = options.settings;
    this.provisioning = options.provisioning === true;
    this.#bestEver = readBestDifficulty(options.storage);
    this.api = this.apiHost(() => this.restart());
  }

  /**
   * The status API's view of the app. `restart` is what POST /api/system/restart does (the
   * device joins its network first when it was in the setup access point); it runs on a fresh
   * stack after the response went out: bring-up inside the HTTP server's callback overflowed
   * XS's stack at the ESP32-C3's creation sizes.
   */
  apiHost(restart: () => Promise<void>): ApiHost {
    const app = this;
    const clock = this.#o.clock;
    return {
      get provisioning() { return app.provisioning; },
      get firstRun() { return app.#o.store?.firstRun === true; },
      info: () => app.info(),
      status: () => app.status(),
      settings: () => app.settings,
      saveSettings: (next) => app.applySettings(next),
      restart: () => void clock.setTimeout(() => void restart(), 0),
    };
  }

  /** The running Miner, if any. */
  get miner(): Miner | undefined {
    return this.state.kind === 'running' ? this.state.miner : undefined;
  }

  /** Starts mining with the current settings; resolves once the core is up and the pool is being joined. */
  async start(): Promise<void> {
    if (this.state.kind === 'running') return;
    if (this.settings.stratumUser === '') {
      this.state = { kind: 'setup' };
      this.#log('warn', 'no pool user set; open the settings page');
      return;
    }
    this.state = { kind: 'starting' };
    let reason = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const miner = await this.#bringUp().catch((e: unknown) => {
        reason = e instanceof Error ? e.message : String(e);
        return undefined;
      });
      if (miner) {
        this.state = { kind: 'running', miner };
        return;
      }
      this.#log('error', `core bring-up failed (attempt ${attempt} of 2): ${reason}`);
      await this.#releaseCore();
    }
    this.state = { kind: 'core-fault', reason };
    this.#o.onEvent?.({ type: 'core-fault', message: reason });
  }

  async stop(): Promise<void> {
    const m = this.miner;
    if (m) this.#bestEver = Math.max(this.#bestEver, m.counters.bestEver);
    this.state = { kind: 'stopped' };
    await m?.stop();
  }

  /** Stops and starts again with the settings as they are now (new pool, user, …). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops for good and releases the core. */
  async close(): Promise<void> {
    await this.stop();
    await this.#releaseCore();
  }

  /** Keeps new (validated) settings; energy figures apply at once, the pool on restart(). */
  applySettings(next: Settings): void {
    this.settings = next;
    this.#o.store?.write(next);
    const m = this.miner;
    if (m) Object.assign(m.energy, energyFromSettings(next));
  }

  status(): (MinerStatus | { state: Exclude<AppState['kind'], 'running'>; error?: string }) & { memory?: DeviceMemory } {
    const s = this.state;
    const memory = this.#o.memory?.();
    const extra = memory ? { memory } : {};
    if (s.kind === 'running') return { ...minerStatus(s.miner, this.#o.clock.now()), ...extra };
    return s.kind === 'core-fault' ? { state: s.kind, error: s.reason, ...extra } : { state: s.kind, ...extra };
  }

  info(): unknown {
    const m = this.miner;
    if (!m) {
      const s = this.status();
      return { hostname: this.#o.hostname, boardVersion: this.#o.boardName, provisioning: this.provisioning, state: s.state, ...('error' in s ? { error: s.error } : {}) };
    }
    return systemInfo(minerStatus(m, this.#o.clock.now()), { hostname: this.#o.hostname, boardName: this.#o.boardName });
  }

  async #bringUp(): Promise<Miner> {
    this.#link ??= await this.#o.openCore();
    const miner = new Miner({
      ...minerOptionsFromSettings(this.settings),
      ...this.#o.tuning,
      transport: this.#o.transport,
      clock: this.#o.clock,
      link: this.#link,
      log: this.#o.log,
      bestEver: this.#bestEver,
      onEvent: (e) => {
        if (e.type === 'best' && e.ever) {
          this.#bestEver = e.difficulty;
          saveBestDifficulty(this.#o.storage, e.difficulty, (text) => this.#log('warn', text));
        }
        this.#o.onEvent?.(e);
      },
    });
    try {
      await miner.start();
    } catch (e) {
      await miner.stop().catch(() => {});
      throw e;
    }
    return miner;
  }

  async #releaseCore(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    if (link) await (this.#o.closeCore ? this.#o.closeCore(link) : link.close?.());
  }
}
