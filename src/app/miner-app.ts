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
import { energyFromSettings, minerOptionsFromSettings, readBestDifficulty, saveBestDifficulty } from './miner-options.ts';
import { Miner, type MinerEvent, type MinerOptions } from '../miner/miner.ts';
import { minerStatus, type MinerStatus } from '../miner/status.ts';
import { statusText } from './console-line.ts';
import { describeEvent, eventLevel } from '../miner/event-text.ts';
import type { Clock, Log, Storage, TransportFactory } from '../platform/interfaces.ts';
import type { ApiHost, AxeosHost, Theme } from '../ui/api.ts';
import { AXEOS_ASIC_MODEL, axeosSystemInfo, type AxeosSystemInfo, type DeviceFacts } from '../ui/axeos/system-info.ts';
import { StatsHistory } from '../ui/axeos/statistics.ts';
import { LogRing } from '../ui/log-ring.ts';
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
  /** What the runtime can tell about the board (address, Wi-Fi, heap, temperature). */
  device?(): Partial<DeviceFacts>;
  /** The runtime's name, shown where AxeOS shows the ESP-IDF version. */
  runtime?: string;
  /** Makes the board show itself (the LED blinks); AxeOS's "identify". */
  identify?(): void;
  /** Wi-Fi networks in range, from the last scan (a scan may start now for the next call). */
  wifiNetworks?(): Array<{ ssid: string; rssi: number; authmode: number }>;
  /** Chart history kept (samples, every `statsFrequencySeconds`); the device keeps fewer. */
  statsLimit?: number;
  statsFrequencySeconds?: number;
  /** Bytes of recent log lines kept for the log page (default 16 KB; the device keeps fewer). */
  logBytes?: number;
}

/**
 * What a board keeps for the status pages: an hour of chart samples (a minute apart, 2.9 KB)
 * and 2 KB of log lines, so the ESP32-C3's small JS heap holds them; the host keeps more.
 */
export const DEVICE_HISTORY = { statsLimit: 60, statsFrequencySeconds: 60, logBytes: 2048, consoleStatusSeconds: 60 } as const;

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
  /**
   * Log the status as one line this often while mining (console-line.ts), for `kilohash serial
   * monitor` to show what a board on USB is doing. Off when absent.
   */
  consoleStatusSeconds?: number;
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
  readonly #startedAt: number;
  /** The last log lines (AxeOS's log page and log stream). */
  readonly logs: LogRing;
  readonly stats: StatsHistory;
  #statsTimer: unknown = null;
  #consoleTimer: unknown = null;
  #paused = false;
  #blocks = { found: 0, showNew: false };
  #theme: Theme | undefined;

  constructor(options: AppOptions) {
    this.#o = options;
    this.#startedAt = options.clock.now();
    this.logs = new LogRing(() => options.clock.now() - this.#startedAt, 200, options.logBytes ?? 16_384);
    this.#log = this.logs.tee(options.log);
    this.stats = new StatsHistory(options.statsLimit ?? 720, options.statsFrequencySeconds ?? 30);
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
      axeos: this.axeosHost(),
    };
  }

  /** The AxeOS routes' view of the app. */
  axeosHost(): AxeosHost {
    const app = this;
    const o = this.#o;
    return {
      statistics: (columns) => app.stats.answer(app.#uptimeMs(), columns),
      asic: () => app.asic(),
      scoreboard: () => {
        const now = o.clock.now();
        return (app.miner?.scoreboard.entries() ?? []).map((e, rank) => ({
          rank, since: Math.round((now - e.at) / 1000), difficulty: e.difficulty, job_id: e.jobId, extranonce2: e.extranonce2,
          ntime: e.ntime, nonce: e.nonce.toString(16).padStart(8, '0'), version_bits: e.versionBits.toString(16).padStart(8, '0'),
        }));
      },
      logs: () => app.logs.text(),
      recentLogs: () => app.logs.entries(),
      listenLogs: (l) => app.logs.listen(l),
      wifiNetworks: () => o.wifiNetworks?.() ?? [],
      pause: () => void app.pause(),
      resume: () => app.resume(),
      identify: () => {
        app.#log('info', 'identify: the board shows itself');
        o.identify?.();
      },
      dismissBlockFound: () => {
        app.#blocks.showNew = false;
        return { blockFound: app.#blocks.found, showNewBlock: false };
      },
      theme: () => (app.#theme ??= readTheme(o.storage)),
      saveTheme: (t) => {
        app.#theme = t;
        writeTheme(o.storage, t, (text) => app.#log('warn', text));
      },
    };
  }

  /** AxeOS's `/api/system/asic`: the FPGA core, which has no frequency or voltage to choose. */
  asic() {
    const id = this.miner?.identity;
    const mhz = (id?.clockHz ?? 0) / 1e6;
    return {
      ASICModel: AXEOS_ASIC_MODEL,
      deviceModel: this.#o.boardName,
      swarmColor: 'orange',
      asicCount: 1,
      defaultFrequency: mhz,
      frequencyOptions: [] as number[],
      defaultVoltage: 0,
      voltageOptions: [] as number[],
      // ours
      engines: id?.engines ?? 0,
      nominalHashRate: id?.nominalHashRate ?? 0,
      coreVersion: id ? `${id.version >>> 16}.${id.version & 0xffff}` : null,
    };
  }

  /** Stops the core's hashing and keeps the pool connection (AxeOS's pause); lasts across restarts. */
  async pause(): Promise<void> {
    this.#paused = true;
    await this.miner?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.miner?.resume();
  }

  #uptimeMs(): number {
    return this.#o.clock.now() - this.#startedAt;
  }

  /** Keeps a chart sample when one is due, and looks again in a second. */
  #sampleStats = (): void => {
    this.#statsTimer = null;
    const i = this.info();
    this.stats.tick(this.#uptimeMs(), () => ({
      hashrate: i.hashRate, hashrate_1m: i.hashRate_1m, hashrate_10m: i.hashRate_10m, hashrate_1h: i.hashRate_1h,
      errorPercentage: i.errorPercentage, asicTemp: i.temp, power: i.power, wifiRssi: i.wifiRSSI, freeHeap: i.freeHeap, responseTime: i.responseTime,
    }));
    if (this.state.kind !== 'stopped') this.#statsTimer = this.#o.clock.setTimeout(this.#sampleStats, this.stats.frequencySeconds * 1000);
  };

  /** The status on the console, every consoleStatusSeconds while mining. */
  #logStatus = (): void => {
    this.#consoleTimer = null;
    const m = this.miner;
    // To the console only, not the log ring: a kilobyte a minute would push the device's 2 KB of real log lines out.
    if (m) this.#o.log?.('info', statusText(minerStatus(m, this.#o.clock.now())));
    const every = this.#o.consoleStatusSeconds;
    if (every !== undefined && this.state.kind === 'running') this.#consoleTimer = this.#o.clock.setTimeout(this.#logStatus, every * 1000);
  };

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
        if (this.#paused) await miner.pause();
        if (this.#statsTimer === null) this.#sampleStats();
        const every = this.#o.consoleStatusSeconds;
        if (every !== undefined && this.#consoleTimer === null) this.#consoleTimer = this.#o.clock.setTimeout(this.#logStatus, every * 1000);
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
    if (this.#statsTimer !== null) this.#o.clock.clearTimeout(this.#statsTimer);
    this.#statsTimer = null;
    if (this.#consoleTimer !== null) this.#o.clock.clearTimeout(this.#consoleTimer);
    this.#consoleTimer = null;
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

  /** `GET /api/system/info`: AxeOS's shape, with kilohash's status under `kilohash`. */
  info(): AxeosSystemInfo {
    // Not through status(): that reads the device's memory, which collects garbage first, and
    // the live feed asks for this every second.
    const s = this.state;
    const o = this.#o;
    return axeosSystemInfo({
      status: s.kind === 'running' ? minerStatus(s.miner, o.clock.now()) : null,
      appState: s.kind,
      ...(s.kind === 'core-fault' ? { appError: s.reason } : {}),
      settings: this.settings,
      device: { hostname: o.hostname, boardName: o.boardName, runtime: o.runtime ?? 'unknown', ...o.device?.() },
      provisioning: this.provisioning,
      uptimeSeconds: Math.round(this.#uptimeMs() / 1000),
      blocks: { ...this.#blocks },
      stats: { frequencySeconds: this.stats.frequencySeconds, limit: this.stats.limit },
    });
  }

  async #bringUp(): Promise<Miner> {
    this.#link ??= await this.#o.openCore();
    const miner = new Miner({
      ...minerOptionsFromSettings(this.settings),
      ...this.#o.tuning,
      transport: this.#o.transport,
      clock: this.#o.clock,
      link: this.#link,
      log: this.#log,
      bestEver: this.#bestEver,
      onEvent: (e) => {
        // The log page shows what the terminal shows (the platform log is not repeated).
        this.logs.add(eventLevel(e), describeEvent(e));
        if (e.type === 'block-candidate') {
          this.#blocks.found++;
          this.#blocks.showNew = true;
        }
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

const THEME_KEY = 'theme';
const DEFAULT_THEME: Theme = { colorScheme: 'dark', primaryColor: '#F7931A' };

function readTheme(storage: Storage | undefined): Theme {
  try {
    const v: unknown = JSON.parse(storage?.read(THEME_KEY) ?? 'null');
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return { ...DEFAULT_THEME, ...(v as Theme) };
  } catch {
    // a damaged entry reads as the default
  }
  return { ...DEFAULT_THEME };
}

function writeTheme(storage: Storage | undefined, t: Theme, log: (text: string) => void): void {
  try {
    storage?.write(THEME_KEY, JSON.stringify(t));
  } catch (e) {
    log(`could not save the theme: ${e instanceof Error ? e.message : String(e)}`);
  }
}
