/**
 * The chart history behind AxeOS's `GET /api/system/statistics?columns=a,b,…`: one sample every
 * `frequencySeconds`, at most `limit` kept (the oldest goes first), each a fixed set of numbers.
 * The answer is `{currentTimestamp, labels, statistics}` with the asked-for columns in AxeOS's
 * own order and `timestamp` (ms since start) last; unknown names are left out, and no known
 * name asks for all. Columns for sensors a board does not have read 0 (see system-info.ts).
 */

/** AxeOS's column names, in the order it lists them. */
export const STAT_COLUMNS = [
  'hashrate', 'hashrate_1m', 'hashrate_10m', 'hashrate_1h', 'errorPercentage', 'asicTemp', 'asicTemp2', 'vrTemp',
  'asicVoltage', 'voltage', 'power', 'current', 'fanSpeed', 'fanRpm', 'fan2Rpm', 'wifiRssi', 'freeHeap', 'responseTime',
] as const;

export type StatColumn = (typeof STAT_COLUMNS)[number];

/**
 * The columns a kilohash board can make vary; the rest (fans, regulator, voltages) are 0 on it
 * and are not stored, so a sample costs 10 floats, not 18.
 */
export const KEPT_COLUMNS = ['hashrate', 'hashrate_1m', 'hashrate_10m', 'hashrate_1h', 'errorPercentage', 'asicTemp', 'power', 'wifiRssi', 'freeHeap', 'responseTime'] as const satisfies readonly StatColumn[];
export type StatValues = Record<(typeof KEPT_COLUMNS)[number], number>;

export interface StatisticsAnswer {
  currentTimestamp: number;
  labels: string[];
  statistics: number[][];
}

/**
 * A ring of samples in typed arrays allocated once (values as 32-bit floats, times as 64-bit),
 * so a day of history costs the device a fixed few kilobytes and no garbage per sample.
 */
export class StatsHistory {
  readonly #values: Float32Array;
  readonly #times: Float64Array;
  #start = 0;
  #count = 0;
  #next = -Infinity;

  constructor(readonly limit = 720, readonly frequencySeconds = 30) {
    this.#values = new Float32Array(limit * KEPT_COLUMNS.length);
    this.#times = new Float64Array(limit);
  }

  /** Takes `sample()` when a sample is due at `now` (ms since start); the first call always samples. */
  tick(now: number, sample: () => StatValues): void {
    if (now < this.#next) return;
    this.#next = now + this.frequencySeconds * 1000;
    const v = sample();
    const slot = (this.#start + this.#count) % this.limit;
    if (this.#count < this.limit) this.#count++;
    else this.#start = (this.#start + 1) % this.limit;
    const base = slot * KEPT_COLUMNS.length;
    KEPT_COLUMNS.forEach((c, i) => { this.#values[base + i] = Number.isFinite(v[c]) ? v[c] : 0; });
    this.#times[slot] = Math.round(now);
  }

  get size(): number {
    return this.#count;
  }

  /** `columns`: the query's comma-separated list (undefined or nothing known: every column). */
  answer(now: number, columns?: string): StatisticsAnswer {
    const asked = new Set((columns ?? '').split(',').map((c) => c.trim()));
    let chosen: StatColumn[] = STAT_COLUMNS.filter((c) => asked.has(c));
    if (chosen.length === 0) chosen = [...STAT_COLUMNS];
    // Where each column is stored (-1: not kept, always 0).
    const at = chosen.map((c) => (KEPT_COLUMNS as readonly string[]).indexOf(c));
    const rows: number[][] = [];
    for (let k = 0; k < this.#count; k++) {
      const slot = (this.#start + k) % this.limit;
      const base = slot * KEPT_COLUMNS.length;
      // Float32 keeps ~7 digits: round so 0.1 reads 0.1, not 0.10000000149.
      rows.push([...at.map((i) => (i < 0 ? 0 : Number(this.#values[base + i]!.toPrecision(7)))), this.#times[slot]!]);
    }
    return { currentTimestamp: Math.round(now), labels: [...chosen, 'timestamp'], statistics: rows };
  }
}

/** The `columns` value of a query string (`columns=hashrate,power&x=1`), URL-decoded. */
export function queryParam(query: string | undefined, name: string): string | undefined {
  if (!query) return undefined;
  for (const part of query.replace(/^\?/, '').split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key !== name) continue;
    const raw = eq < 0 ? '' : part.slice(eq + 1).replace(/\+/g, ' ');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
