/**
 * The known-answer self-test: reset the core, hash the 256-nonce window around block 125552's
 * nonce and expect exactly that nonce back. Its work carries its own result sink, so its answer
 * never reaches the miner's callbacks and the miner's late results never reach it.
 */
import type { Clock } from '../platform/interfaces.ts';
import { hexToBytes } from '../work/bytes.ts';
import { hex32 } from './register-port.ts';
import type { CoreWork, ResultSink } from './work-ledger.ts';

/** Known answer: block 125552's header and the window around its real nonce. */
export const SELF_TEST = {
  header:
    '0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000' +
    'e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695',
  first: 0x9546a100,
  last: 0x9546a1ff,
  nonce: 0x9546a142,
} as const;

export interface SelfTestReport {
  ok: boolean;
  /** What went wrong, when not ok. */
  reason?: string;
  found: number[];
  milliseconds: number;
}

/** What the self-test needs of a driver. */
export interface SelfTestSubject<T> {
  readonly inFlight: number;
  readonly stats: { readonly hardwareErrors: number };
  /** Reset: queue, FIFO and counters cleared, works held dropped. */
  reset(): Promise<void>;
  /** Writes a work whose results go to `sink`; false when the queue had no room. */
  push(work: CoreWork<T>, sink: ResultSink<T>): Promise<boolean>;
  /** Housekeeping without asking for new work. */
  poll(feed: false): Promise<unknown>;
}

/** Runs the test on a probed core. Leaves the core reset and empty. */
export async function runSelfTest<T>(core: SelfTestSubject<T>, clock: Clock, timeoutMs: number): Promise<SelfTestReport> {
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  await core.reset();
  const found: number[] = [];
  const errorsBefore = core.stats.hardwareErrors;
  const work: CoreWork<T> = { header: hexToBytes(SELF_TEST.header), first: SELF_TEST.first, last: SELF_TEST.last, thresholdBits: 32 };
  const sink: ResultSink<T> = {
    onResult: (r) => found.push(r.nonce),
    onHardwareError: (_w, n) => found.push(n),
  };
  try {
    if (!(await core.push(work, sink))) return { ok: false, reason: 'the core refused the work', found, milliseconds: elapsed() };
    while (core.inFlight > 0) {
      if (elapsed() > timeoutMs) return { ok: false, reason: `no answer within ${timeoutMs} ms`, found, milliseconds: elapsed() };
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 2));
      await core.poll(false);
    }
    // Results can trail the work by a few cycles: one more look.
    await core.poll(false);
  } finally {
    await core.reset();
  }
  const ms = elapsed();
  // A wrong nonce that named no work (a corrupted id) reaches only the counter.
  if (core.stats.hardwareErrors !== errorsBefore) return { ok: false, reason: `wrong nonces reported: ${found.map(hex32).join(', ') || 'for an unknown work'}`, found, milliseconds: ms };
  if (found.length !== 1 || found[0] !== SELF_TEST.nonce) {
    return { ok: false, reason: `expected nonce ${hex32(SELF_TEST.nonce)}, got [${found.map(hex32).join(', ')}]`, found, milliseconds: ms };
  }
  return { ok: true, found, milliseconds: ms };
}
