/**
 * The driver's parts on their own: the work ledger's verdicts and bookkeeping (no I/O), and the
 * self-test's own result sink (the caller's callbacks are neither called nor swapped).
 */
import { describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { type CoreWork, WorkLedger } from '../../src/core/work-ledger.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { keepAliveClock } from '../../host/platform/node.ts';

const HEADER = hexToBytes(SELF_TEST.header);
const work = (tag: string, thresholdBits = 32): CoreWork<string> => ({ header: HEADER, first: SELF_TEST.first, last: SELF_TEST.last, thresholdBits, tag });

function ledgerWith(...works: CoreWork<string>[]) {
  const done: (string | undefined)[] = [];
  const ledger = new WorkLedger<string>((w) => done.push(w.tag));
  const entries = works.map((w) => {
    const e = ledger.entryFor(w);
    ledger.written(e, ledger.allocateId());
    return e;
  });
  return { ledger, entries, done };
}

describe('work ledger', () => {
  it('judges a nonce: new once, then a repeat; wrong when it misses the threshold or the range; unknown for a foreign id', () => {
    const { ledger, entries } = ledgerWith(work('a'));
    const hash = new Uint8Array(32);
    const id = entries[0]!.id;
    const first = ledger.judge(id, SELF_TEST.nonce, hash);
    expect(first.kind).toBe('new');
    if (first.kind === 'new') expect(first.zeroBits).toBeGreaterThanOrEqual(32);
    expect(ledger.judge(id, SELF_TEST.nonce, hash).kind).toBe('repeat');
    expect(ledger.judge(id, SELF_TEST.nonce + 1, hash).kind).toBe('wrong');
    expect(ledger.judge(id + 1, SELF_TEST.nonce, hash).kind).toBe('unknown-work');
    // In range and hashing well enough, but outside the work: still wrong.
    const { ledger: narrow, entries: [e] } = ledgerWith({ header: HEADER, first: SELF_TEST.first, last: SELF_TEST.nonce - 1, thresholdBits: 32 });
    expect(narrow.judge(e!.id, SELF_TEST.nonce, hash).kind).toBe('wrong');
  });

  it('retires what the core no longer holds, oldest first, and still knows their late results', () => {
    const { ledger, entries, done } = ledgerWith(work('a'), work('b'), work('c'));
    ledger.retireBeyond(1);
    expect(done).toEqual(['a', 'b']);
    expect(ledger.outstanding.map((e) => e.work.tag)).toEqual(['c']);
    expect(ledger.judge(entries[0]!.id, SELF_TEST.nonce, new Uint8Array(32)).kind).toBe('new');
  });

  it('after an abort, results of every earlier work are only checked, and their tags are let go', () => {
    const { ledger, entries, done } = ledgerWith(work('a'), work('b'));
    ledger.retireBeyond(1);
    ledger.backlog.push(ledger.entryFor(work('queued')));
    ledger.abortAll();
    expect(done).toEqual(['a', 'b', 'queued']);
    expect(ledger.outstanding).toEqual([]);
    expect(ledger.backlog).toEqual([]);
    const hash = new Uint8Array(32);
    for (const e of entries) {
      expect(ledger.judge(e.id, SELF_TEST.nonce, hash).kind).toBe('discarded');
      expect(e.work.tag).toBeUndefined();
    }
    // A wrong nonce of an aborted work is still a hardware error.
    expect(ledger.judge(entries[0]!.id, SELF_TEST.nonce + 1, hash).kind).toBe('wrong');
  });

  it('gives a reset core its unfinished works back, first in line, without calling them done', () => {
    const { ledger, done } = ledgerWith(work('a'), work('b'));
    ledger.backlog.push(ledger.entryFor(work('later')));
    expect(ledger.requeueOutstanding()).toBe(2);
    expect(done).toEqual([]);
    expect(ledger.backlog.map((e) => e.work.tag)).toEqual(['a', 'b', 'later']);
  });

  it('never hands out an id a known work still carries, and wraps after 0xffff', () => {
    const { ledger, entries } = ledgerWith(work('a'));
    const ids = new Set<number>();
    for (let i = 0; i < 0xffff; i++) ids.add(ledger.allocateId());
    expect(ids.has(entries[0]!.id)).toBe(false);
    expect(ids.has(0)).toBe(false);
    expect(ids.size).toBe(0xfffe);
  });
});

describe('self-test', () => {
  it('passes on the model with its own sink: the caller sees neither its result nor a swapped callback', async () => {
    const link = new ModelLink({ clock: keepAliveClock });
    const seen: number[] = [];
    // Frozen: a self-test that swapped the caller's callbacks would throw here.
    const options = Object.freeze({
      link,
      clock: keepAliveClock,
      onResult: (r: { nonce: number }) => seen.push(r.nonce),
      nextWork: () => undefined,
    });
    try {
      const driver = new CoreDriver(options);
      const report = await driver.selfTest();
      expect(report).toMatchObject({ ok: true, found: [SELF_TEST.nonce] });
      expect(seen).toEqual([]);
      expect(driver.inFlight).toBe(0);
    } finally {
      link.close();
    }
  });
});
