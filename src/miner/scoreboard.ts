/**
 * The best results of a run, highest difficulty first, bounded: what AxeOS's scoreboard page
 * shows (`GET /api/system/scoreboard`). Every result the core reports on a live job counts,
 * share or not, so the top entry is the session's best difficulty.
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
  readonly #entries: ScoreEntry[] = [];

  constructor(readonly size = 20) {}

  /** Keeps `e` if it ranks among the best; a result already on the board is not added twice. */
  add(e: ScoreEntry): void {
    const list = this.#entries;
    if (list.length >= this.size && e.difficulty <= list[list.length - 1]!.difficulty) return;
    if (list.some((x) => x.nonce === e.nonce && x.jobId === e.jobId && x.extranonce2 === e.extranonce2 && x.versionBits === e.versionBits)) return;
    let i = list.length;
    while (i > 0 && list[i - 1]!.difficulty < e.difficulty) i--;
    list.splice(i, 0, e);
    if (list.length > this.size) list.length = this.size;
  }

  /** Best first. */
  entries(): readonly ScoreEntry[] {
    return this.#entries;
  }
}
