/**
 * `GET /api/system/info` in AxeOS's shape: every field AxeOS's SystemInfo model requires, with
 * its types and units (hash rates in GH/s, voltages in mV, temperatures in °C), so the AxeOS web
 * UI, swarm dashboards, pyasic and Home Assistant read a kilohash board as they read a Bitaxe.
 * What kilohash measures fills its field; what a board does not have (fans, an ASIC voltage
 * regulator, a display) gets the value AxeOS itself treats as absent (0, '' or an empty list),
 * never an invented reading. `docs/miner.md` lists the mapping. Our own status follows under
 * `kilohash`.
 */
import type { Settings } from '../../config/settings.ts';
import type { MinerStatus } from '../../miner/status.ts';
import { KILOHASH_VERSION } from '../../version.ts';
import { parsePoolUrl } from '../../stratum/pool-url.ts';

/** What the runtime can tell about the board; anything it cannot tell is left out. */
export interface DeviceFacts {
  /** The board's default network name (the `hostname` setting overrides it). */
  hostname: string;
  boardName: string;
  /** The runtime, shown where AxeOS shows the ESP-IDF version ("Moddable XS", "Node v20…"). */
  runtime: string;
  macAddr?: string;
  ipv4?: string;
  ipv6?: string;
  ssid?: string;
  wifiRSSI?: number;
  freeHeap?: number;
  minFreeHeap?: number;
  maxAllocHeap?: number;
  /** The ESP32's own die temperature, °C, where the runtime reads it. */
  chipTemperature?: number;
  resetReason?: string;
}

export interface AxeosInfoInput {
  /** Null while the miner is not running (setup, starting, a core fault). */
  status: MinerStatus | null;
  /** The application's state when the miner is not running, and why. */
  appState: string;
  appError?: string;
  settings: Settings;
  device: DeviceFacts;
  provisioning: boolean;
  /** Seconds since the application started (AxeOS's uptime is the board's). */
  uptimeSeconds: number;
  /** Blocks found (accepted block candidates) and whether the notice is still shown. */
  blocks: { found: number; showNew: boolean };
  /** The statistics history: seconds between samples and how many are kept. */
  stats: { frequencySeconds: number; limit: number };
}

export const AXEOS_ASIC_MODEL = 'kilohash-fpga';

/** AxeOS's `pools` entries: kilohash keeps two, the primary (id 0) and the backup (id 1). */
export function axeosPools(s: Settings) {
  const pool = (id: number, url: string, user: string) => {
    const p = url === '' ? null : safePool(url);
    return {
      id,
      stratumProtocol: 'SV1' as const,
      stratumURL: p?.host ?? '',
      stratumPort: p?.port ?? 0,
      stratumUser: user,
      stratumSuggestedDifficulty: s.suggestDifficulty,
      stratumExtranonceSubscribe: s.extranonceSubscribe,
      stratumTLS: p?.tls ? 1 : 0,
      stratumCert: '',
      stratumDecodeCoinbase: false,
    };
  };
  const list = [pool(0, s.stratumURL, s.stratumUser)];
  if (s.fallbackStratumURL !== '') list.push(pool(1, s.fallbackStratumURL, s.fallbackStratumUser || s.stratumUser));
  return list;
}

function safePool(url: string): { host: string; port: number; tls: boolean } | null {
  try {
    return parsePoolUrl(url);
  } catch {
    return null;
  }
}

export function axeosSystemInfo(i: AxeosInfoInput) {
  const st = i.status;
  const s = i.settings;
  const d = i.device;
  const pools = axeosPools(s);
  const primary = pools[0]!;
  const fallback = pools[1];
  const usingFallback = st?.pool.usingFallback === true && fallback !== undefined;
  const gh = (hps: number) => hps / 1e9;
  const hashes = st?.core.hashes ?? 0;
  const errors = st?.core.hardwareErrors ?? 0;
  const reported = errors + (st?.core.results ?? 0);
  const clockMHz = (st?.core.clockHz ?? 0) / 1e6;
  return {
    // what is mined
    hashRate: gh(st?.hashRate.counter.m1 ?? 0),
    hashRate_1m: gh(st?.hashRate.counter.m1 ?? 0),
    hashRate_10m: gh(st?.hashRate.counter.m10 ?? 0),
    hashRate_1h: gh(st?.hashRate.counter.h1 ?? 0),
    expectedHashrate: gh(st?.core.nominalHashRate ?? 0),
    // The share of the core's reported nonces that failed the software re-check.
    errorPercentage: reported > 0 ? (errors * 100) / reported : 0,
    sharesAccepted: st?.shares.accepted ?? 0,
    sharesRejected: st?.shares.rejected ?? 0,
    sharesRejectedReasons: Object.entries(st?.shares.rejectReasons ?? {}).map(([message, count]) => ({ message, count })),
    bestDiff: st?.bestDifficulty.ever ?? 0,
    bestSessionDiff: st?.bestDifficulty.session ?? 0,
    totalHashes: hashes,
    blockFound: i.blocks.found,
    showNewBlock: i.blocks.showNew,
    miningPaused: st?.paused ?? false,
    // the pool
    poolDifficulty: st?.pool.difficulty ?? 0,
    responseTime: st?.pool.responseMs ?? 0,
    isUsingFallbackStratum: usingFallback ? 1 : 0,
    poolConnectionInfo: st?.pool.connected ? (safePool(st.pool.url)?.tls ? 'IPv4 (TLS)' : 'IPv4') : '',
    primaryPoolIndex: 0,
    secondaryPoolIndex: fallback ? 1 : 0,
    pools,
    stratumProtocol: 'SV1',
    stratumURL: primary.stratumURL,
    stratumPort: primary.stratumPort,
    stratumUser: primary.stratumUser,
    stratumSuggestedDifficulty: s.suggestDifficulty,
    stratumExtranonceSubscribe: s.extranonceSubscribe,
    stratumTLS: primary.stratumTLS === 1,
    stratumCert: '',
    stratumDecodeCoinbase: false,
    stratumV2AuthorityPubkey: '',
    fallbackStratumURL: fallback?.stratumURL ?? '',
    fallbackStratumPort: fallback?.stratumPort ?? 0,
    fallbackStratumUser: fallback?.stratumUser ?? '',
    fallbackStratumSuggestedDifficulty: s.suggestDifficulty,
    fallbackStratumExtranonceSubscribe: s.extranonceSubscribe,
    fallbackStratumTLS: fallback?.stratumTLS === 1,
    fallbackStratumCert: '',
    fallbackStratumDecodeCoinbase: false,
    // the chain, from the job in work
    networkDifficulty: st?.network?.difficulty ?? 0,
    blockHeight: st?.network?.height ?? 0,
    scriptsig: '',
    blockSignals: [] as string[],
    coinbaseValueTotalSatoshis: 0,
    coinbaseValueUserSatoshis: 0,
    // power: the stated board power (kilohash does not measure it); no voltage or current sensors
    power: st?.energy.watts ?? s.power,
    maxPower: s.power,
    voltage: 0,
    nominalVoltage: 0,
    current: 0,
    // the hashing part: an FPGA whose clock its bitstream fixes (0 for the model), no regulator
    ASICModel: AXEOS_ASIC_MODEL,
    smallCoreCount: st?.core.engines ?? 0,
    frequency: clockMHz,
    actualFrequency: clockMHz,
    coreVoltage: 0,
    coreVoltageActual: 0,
    overclockEnabled: 0,
    // heat and fans: no FPGA or regulator sensor and no fan; temp is the ESP32's own, if read
    temp: d.chipTemperature ?? 0,
    temp2: 0,
    vrTemp: 0,
    temptarget: 0,
    overheat_mode: 0,
    fanspeed: 0,
    fanrpm: 0,
    fan2rpm: 0,
    autofanspeed: 0,
    manualFanSpeed: 0,
    minFanSpeed: 0,
    // display: none
    display: 'NONE',
    rotation: 0,
    invertscreen: 0,
    displayTimeout: -1,
    // the controller
    hostname: s.hostname || d.hostname,
    macAddr: d.macAddr ?? '',
    ssid: d.ssid ?? s.wifiSSID,
    ipv4: d.ipv4 ?? '',
    ipv6: d.ipv6 ?? '',
    wifiStatus: i.provisioning ? 'Setup access point' : d.wifiRSSI !== undefined ? 'Connected!' : '',
    wifiRSSI: d.wifiRSSI ?? 0,
    apEnabled: i.provisioning ? 1 : 0,
    freeHeap: d.freeHeap ?? 0,
    freeHeapInternal: d.freeHeap ?? 0,
    freeHeapSpiram: 0,
    minFreeHeap: d.minFreeHeap ?? 0,
    maxAllocHeap: d.maxAllocHeap ?? 0,
    isPSRAMAvailable: 0,
    cpuUsage: 0,
    uptimeSeconds: i.uptimeSeconds,
    resetReason: d.resetReason ?? '',
    version: KILOHASH_VERSION,
    axeOSVersion: KILOHASH_VERSION,
    idfVersion: d.runtime,
    boardVersion: d.boardName,
    runningPartition: '',
    partitions: [] as unknown[],
    useCustomWWW: 0,
    statsFrequency: i.stats.frequencySeconds,
    statsLimit: i.stats.limit,
    // ours: the full status (absent while not mining), and why not mining
    kilohash: st ?? { state: i.appState, ...(i.appError !== undefined ? { error: i.appError } : {}) },
  };
}

export type AxeosSystemInfo = ReturnType<typeof axeosSystemInfo>;
