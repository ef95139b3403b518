/**
 * Whether to keep sending an optional request (mining.suggest_difficulty, mining.configure) to
 * a pool, judged by evidence rather than coincidence. A pool that never answers it (public-pool
 * with suggest_difficulty) must keep getting it: a disconnect long after it was sent says
 * nothing about it. It is dropped only
 * - on the pool's own refusal (an error reply), or
 * - when the pool hung up soon after receiving it, unanswered and before answering the request
 *   that followed it, on two attempts in a row, and then an attempt without it stayed up
 *   (probation). If that attempt fails too, the request was not the cause: it is sent again.
 *
 * | state       | sends? | leaves by                                                      |
 * |-------------|--------|----------------------------------------------------------------|
 * | `sending`   | yes    | refusal → dropped; a 2nd quick hang-up in a row → probation    |
 * | `probation` | no     | the attempt stays up → dropped; it fails fast too → sending    |
 * | `dropped`   | no     | (for good, for this pool)                                      |
 */

export type OptionalRequestState =
  | { kind: 'sending'; quickHangUps: number }
  | { kind: 'probation' }
  | { kind: 'dropped'; why: string };

/** A hang-up this soon after sending, with the request unanswered, counts against it. */
export const QUICK_HANG_UP_MS = 10_000;

export class OptionalRequest {
  state: OptionalRequestState = { kind: 'sending', quickHangUps: 0 };

  constructor(readonly method: string) {}

  get send(): boolean {
    return this.state.kind === 'sending';
  }

  /** The pool answered with an error: it does not take this request. */
  refused(message: string): void {
    this.state = { kind: 'dropped', why: `the pool refused it: ${message}` };
  }

  /** The pool answered it, or the connection outlived the quick window with it pending. */
  tolerated(): void {
    if (this.state.kind === 'sending') this.state = { kind: 'sending', quickHangUps: 0 };
  }

  /**
   * A connection ended. `sentMsAgo`: how long before the close this request went out and was
   * still unanswered (undefined: not sent on it, or answered). `livedMs`: how long the
   * connection was up; `gotJob`: whether it reached mining.
   * Returns a sentence for the log when the verdict changes.
   */
  connectionClosed(sentMsAgo: number | undefined, livedMs: number, gotJob: boolean): string | undefined {
    const s = this.state;
    if (s.kind === 'sending') {
      if (sentMsAgo === undefined) return undefined;
      if (sentMsAgo > QUICK_HANG_UP_MS) {
        this.state = { kind: 'sending', quickHangUps: 0 };
        return undefined;
      }
      const n = s.quickHangUps + 1;
      if (n < 2) {
        this.state = { kind: 'sending', quickHangUps: n };
        return undefined;
      }
      this.state = { kind: 'probation' };
      return `the pool hung up twice in a row soon after ${this.method}; trying once without it`;
    }
    if (s.kind === 'probation') {
      if (gotJob || livedMs > QUICK_HANG_UP_MS) {
        this.state = { kind: 'dropped', why: `the pool hangs up over it` };
        return `without ${this.method} the pool stays up: not sending it again`;
      }
      this.state = { kind: 'sending', quickHangUps: 0 };
      return `the pool hangs up without ${this.method} too: sending it again`;
    }
    return undefined;
  }

  /** A connection on probation reached mining: the verdict is in. */
  survivedWithout(): string | undefined {
    if (this.state.kind !== 'probation') return undefined;
    this.state = { kind: 'dropped', why: 'the pool hangs up over it' };
    return `without ${this.method} the pool stays up: not sending it again`;
  }
}
