/**
 * Scans a nonce range of one header on any core through the driver: the range is cut into
 * works so the queue is refilled as it drains (as the miner does), every reported nonce is
 * re-hashed by the driver, and the hash count comes from the core's own counter.
 */
import { CoreDriver } from '../../src/core/driver.ts';
import type { CoreIdentity } from '../../src/core/register-port.ts';
import type { CoreResult } from '../../src/core/work-ledger.ts';
import type { CoreLink } from '../../src/core/link.ts';
import type { Clock, Log } from '../../src/platform/interfaces.ts';
import { toDisplayHex } from '../../src/work/bytes.ts';
import { hashToDifficulty } from '../../src/work/target.ts';

export interface ScanOptions {
  link: CoreLink;
  clock: Clock;
  header: Uint8Array;
  start: number;
  count: number;
  /** Leading zero bits a nonce needs to be reported (1..256; default 32 = difficulty 1). */
  thresholdBits?: number;
  /** Nonces per work written to the core. */
  workSize: number;
  selfTest?: boolean;
  log?: Log;
  onFound?(found: FoundNonce): void;
  onProgress?(scanned: number): void;
  /** Set to stop early (Ctrl-C): the scan ends at the next poll with what it has. */
  signal?: { aborted: boolean };
  pollMs?: number;
  hangTimeoutMs?: number;
}

export interface FoundNonce {
  /** The value of the header's little-endian nonce field. */
  nonce: number;
  /** The hash in display order (as block explorers print it). */
  hash: string;
  difficulty: number;
  zeroBits: number;
}

export interface ScanSummary {
  identity: CoreIdentity;
  scanned: number;
  found: number;
  seconds: number;
  rate: number;
  hwErrors: number;
  /** Times the core's result FIFO overflowed (results lost: poll faster or raise the threshold). */
  fifoOverflows: number;
  retries: number;
  resets: number;
  complete: boolean;
  nonces: FoundNonce[];
}

export async function scanRange(o: ScanOptions): Promise<ScanSummary> {
  const threshold = o.thresholdBits ?? 32;
  const end = o.start + o.count; // exclusive, ≤ 2^32
  let next = o.start;
  const nonces: FoundNonce[] = [];
  let wake: (() => void) | undefined;
  const driver = new CoreDriver<null>({
    link: o.link,
    clock: o.clock,
    log: o.log,
    hangTimeoutMs: o.hangTimeoutMs,
    nextWork: () => {
      if (next >= end || o.signal?.aborted) return undefined;
      const last = Math.min(end, next + o.workSize) - 1;
      const work = { header: o.header, first: next, last, thresholdBits: Math.min(32, threshold) };
      next = last + 1;
      return work;
    },
    onResult: (r: CoreResult<null>) => {
      if (r.zeroBits < threshold) return;
      const f: FoundNonce = { nonce: r.nonce, hash: toDisplayHex(r.hash), difficulty: hashToDifficulty(r.hash), zeroBits: r.zeroBits };
      nonces.push(f);
      o.onFound?.(f);
    },
  });
  const identity = await driver.probe();
  if (o.selfTest) {
    const st = await driver.selfTest();
    if (!st.ok) throw new Error(`core self-test failed: ${st.reason}`);
  }
  await driver.reset();
  // The self-test's nonces are in the driver's total; the scan counts from here.
  const base = driver.stats.hashes;
  const scanned = () => driver.stats.hashes - base;
  const stopReady = o.link.ready?.onRise?.(() => wake?.());
  const started = o.clock.now();
  const pollMs = o.pollMs ?? 20;
  try {
    for (;;) {
      await driver.poll();
      o.onProgress?.(scanned());
      const drained = next >= end || o.signal?.aborted === true;
      if (drained && driver.inFlight === 0) break;
      if (o.signal?.aborted && driver.inFlight > 0) await driver.abort();
      await new Promise<void>((resolve) => {
        const t = o.clock.setTimeout(() => { wake = undefined; resolve(); }, pollMs);
        wake = () => { o.clock.clearTimeout(t); wake = undefined; resolve(); };
      });
    }
    // One last look: a result can trail its work's end by a few cycles.
    await driver.poll();
  } finally {
    stopReady?.();
  }
  const seconds = (o.clock.now() - started) / 1000;
  nonces.sort((a, b) => a.nonce - b.nonce);
  return {
    identity,
    scanned: scanned(),
    found: nonces.length,
    seconds,
    rate: seconds > 0 ? scanned() / seconds : 0,
    hwErrors: driver.stats.hardwareErrors,
    fifoOverflows: driver.stats.fifoOverflows,
    retries: driver.stats.retries,
    resets: driver.stats.resets,
    complete: scanned() >= o.count && !o.signal?.aborted,
    nonces,
  };
}
