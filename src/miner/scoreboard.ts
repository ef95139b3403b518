/**
 * The best results of a run, highest difficulty first, bounded: what AxeOS's scoreboard page
 * shows (`GET /api/system/scoreboard`). Every result the core reports on a live job counts,
 * share or not, so the top entry is the session's best difficulty. Kept in typed arrays
 * allocated once (and two small string arrays): twenty entry objects would cost the board's
 * JS heap several kilobytes for a page few people open.
 */
export interface ScoreEntry {
  difficulty: number;
  jobId: string;
  /** Hex, as submitted. */
  extranonce2: string;
  ntime: number;
  nonce: number;
  /** The rolled version bits (0 when the pool gave no mask). */
  versionBits: number;
  /** Clock time it was found (ms). */
  at: number;
}

export class Scoreboard {
  readonly #difficulty: Float64Array;
  readonly #at: Float64Array;
  /** ntime, nonce, version bits per entry. */
  readonly #words: Uint32Array;
  readonly #jobId: string[];
  readonly #extranonce2: string[];
  #count = 0;

  constructor(readonly size = 20) {
    this.#difficulty = new Float64Array(size);
    this.#at = new Float64Array(size);
    this.#words = new Uint32Array(size * 3);
    this.#jobId = new Array<string>(size).fill('');
    this.#extranonce2 = new Array<string>(size).fill('');
  }

  /** Keeps `e` if it ranks among the best; a result already on the board is not added twice. */
  add(e: ScoreEntry): void {
    const n = this.#count;
    if (n >= this.size && e.difficulty <= this.#difficulty[n - 1]!) return;
    for (let i = 0; i < n; i++) {
      if (this.#words[i * 3 + 1] === e.nonce >>> 0 && this.#jobId[i] === e.jobId && this.#extranonce2[i] === e.extranonce2 && this.#words[i * 3 + 2] === e.versionBits >>> 0) return;
    }
    let i = Math.min(n, this.size - 1);
    // Shift the worse ones down one place (the last falls off when full).
    for (; i > 0 && this.#difficulty[i - 1]! < e.difficulty; i--) this.#move(i - 1, i);
    this.#difficulty[i] = e.difficulty;
    this.#at[i] = e.at;
    this.#words[i * 3] = e.ntime >>> 0;
    this.#words[i * 3 + 1] = e.nonce >>> 0;
    this.#words[i * 3 + 2] = e.versionBits >>> 0;
    this.#jobId[i] = e.jobId;
    this.#extranonce2[i] = e.extranonce2;
    if (n < this.size) this.#count = n + 1;
  }

  /** Best first (made on demand). */
  entries(): ScoreEntry[] {
    const out: ScoreEntry[] = [];
    for (let i = 0; i < this.#count; i++) {
      out.push({
        difficulty: this.#difficulty[i]!, jobId: this.#jobId[i]!, extranonce2: this.#extranonce2[i]!,
        ntime: this.#words[i * 3]!, nonce: this.#words[i * 3 + 1]!, versionBits: this.#words[i * 3 + 2]!, at: this.#at[i]!,
      });
    }
    return out;
  }

  #move(from: number, to: number): void {
    this.#difficulty[to] = this.#difficulty[from]!;
    this.#at[to] = this.#at[from]!;
    this.#words.copyWithin(to * 3, from * 3, from * 3 + 3);
    this.#jobId[to] = this.#jobId[from]!;
    this.#extranonce2[to] = this.#extranonce2[from]!;
  }
}
