/**
 * Outstanding requests by id. Replies are matched by id, never by order — pools interleave
 * notifications with replies and answer some requests late or never — and every request has a
 * timeout so a lost reply is noticed.
 */
import type { Clock, TimerHandle } from '../platform/interfaces.ts';
import type { RequestId, StratumError } from './messages.ts';

export type Reply = { kind: 'reply'; result: unknown; error: StratumError | null } | { kind: 'timeout' } | { kind: 'closed' };

interface Pending {
  method: string;
  timer: TimerHandle;
  settle(reply: Reply): void;
}

export class RequestTable {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  /** Registers a request and returns its id; `settle` is called exactly once. */
  open(method: string, timeoutMs: number, settle: (reply: Reply) => void): number {
    const id = this.nextId++;
    const key = String(id);
    const timer = this.clock.setTimeout(() => {
      if (this.pending.delete(key)) settle({ kind: 'timeout' });
    }, timeoutMs);
    this.pending.set(key, { method, timer, settle });
    return id;
  }

  /** Delivers a reply; false when no request with that id is outstanding (late or duplicate). */
  resolve(id: RequestId, result: unknown, error: StratumError | null): boolean {
    const key = String(id);
    const p = this.pending.get(key);
    if (!p) return false;
    this.pending.delete(key);
    this.clock.clearTimeout(p.timer);
    p.settle({ kind: 'reply', result, error });
    return true;
  }

  /** The connection is gone: every outstanding request settles as closed. */
  closeAll(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      this.clock.clearTimeout(p.timer);
      p.settle({ kind: 'closed' });
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
