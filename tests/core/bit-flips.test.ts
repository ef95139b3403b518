/**
 * Bit flips on the wire, 1 in 1000 bits on MOSI and on MISO, from a fixed seed: every nonce the
 * core finds reaches the miner exactly once and nothing wrong gets through. Protocol 2.0 keeps
 * a result in the core's FIFO until the driver acknowledges it by its sequence number, so a
 * RESULT reply corrupted on MISO is read again; the same noise against a 1.0 core (which pops
 * on the read) loses results, which is what shows the test can fail.
 */
import { describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import type { CoreLink } from '../../src/core/link.ts';
import { CoreModel } from '../../src/core/model/core-model.ts';
import { REG } from '../../src/core/protocol.ts';
import { NoisyLink } from '../../host/faults/spi-noise.ts';
import { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { simulatorAvailable } from '../../host/rtl/simulators.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { randomHeader, referenceNonces } from '../helpers/reference-nonces.ts';
import { hasSimulator } from '../helpers/simulators.ts';

const BER = 1e-3;


interface Run {
  delivered: number[];
  hwErrors: number;
  retries: number;
  scanned: number;
  noisy: NoisyLink;
}

/**
 * Scans [first, first+count) in works of `workSize` through the noisy link, polling until every
 * work is done and the FIFO is empty. `between` lets time pass between polls.
 */
async function scanThroughNoise(
  link: CoreLink, header: Uint8Array, first: number, count: number, threshold: number, workSize: number,
  seed: number, between: () => Promise<void> | void,
): Promise<Run> {
  const noisy = new NoisyLink(link, { bitErrorRate: BER, seed });
  let next = first;
  const end = first + count;
  const delivered: number[] = [];
  const driver = new CoreDriver<null>({
    link: noisy,
    clock: keepAliveClock,
    // A frame is hit 1 time in 2 at this rate: allow many attempts before calling the link dead.
    attempts: 24,
    hangTimeoutMs: 60_000,
    nextWork: () => {
      if (next >= end) return undefined;
      const last = Math.min(end, next + workSize) - 1;
      const w = { header, first: next, last, thresholdBits: threshold };
      next = last + 1;
      return w;
    },
    onResult: (r) => void delivered.push(r.nonce),
  });
  await driver.probe();
  await driver.reset();
  for (;;) {
    const s = await driver.poll();
    if (next >= end && driver.inFlight === 0 && !s.busy && s.queued === 0 && s.results === 0 && !s.resultReady) break;
    await between();
  }
  // One more look: a result can trail its work by a few cycles.
  await between();
  await driver.poll();
  return { delivered, hwErrors: driver.stats.hardwareErrors, retries: driver.stats.retries, scanned: driver.stats.hashes, noisy };
}

/** The model, advancing a fixed number of nonces per frame: time passes only with frames. */
function steppedModel(protocol: '1.0' | '2.0', noncesPerFrame: number): CoreLink {
  const model = new CoreModel({ protocol });
  return { transfer: (f) => { model.transfer(f); model.hash(noncesPerFrame); } };
}

describe('bit flips on MOSI and MISO (1e-3 per bit)', () => {
  const header = randomHeader(0xb17f11b5);
  const first = 0x40000000;
  const count = 2_400_000;
  const threshold = 10;
  const want = referenceNonces(header, first, count, threshold);

  it('model, protocol 2.0, ≥ 10^5 frames: every found nonce delivered exactly once, none wrong', async () => {
    const r = await scanThroughNoise(steppedModel('2.0', 20), header, first, count, threshold, 4096, 0x1234567, () => {});
    expect(r.noisy.counts.frames).toBeGreaterThanOrEqual(100_000);
    expect(want.length).toBeGreaterThan(1500);
    expect([...r.delivered].sort((a, b) => a - b)).toEqual(want);
    expect(new Set(r.delivered).size).toBe(r.delivered.length);
    expect(r.hwErrors).toBe(0);
    expect(r.scanned).toBe(count);
    // The noise reached the frames that matter, both ways.
    const peek = r.noisy.counts.byAddress.get(REG.RESULT_PEEK);
    const ack = r.noisy.counts.byAddress.get(REG.RESULT_ACK);
    const work = r.noisy.counts.byAddress.get(REG.WORK);
    expect(peek?.miso).toBeGreaterThan(50);
    expect(ack?.mosi).toBeGreaterThan(20);
    expect(work?.mosi).toBeGreaterThan(100);
    expect(r.retries).toBeGreaterThan(1000);
  }, 120_000);

  it('the same noise against a 1.0 core loses results (what acknowledgement fixes)', async () => {
    const r = await scanThroughNoise(steppedModel('1.0', 20), header, first, count / 4, threshold, 4096, 0x1234567, () => {});
    const wantQuarter = want.filter((n) => n < first + count / 4);
    const got = new Set(r.delivered);
    const lost = wantQuarter.filter((n) => !got.has(n));
    expect(lost.length).toBeGreaterThan(0);
    // Nothing wrong is delivered even so: every nonce is re-hashed (an 8-bit CRC lets some
    // corrupted frames through, which the re-hash counts as hardware errors).
    expect(r.delivered.every((n) => wantQuarter.includes(n))).toBe(true);
  }, 120_000);

  it.skipIf(!hasSimulator('verilator'))('RTL under Verilator, ≥ 10^3 frames: every found nonce delivered exactly once', async () => {
    // Time passes only in frames and between polls (20 000 cycles ≈ 5 results), so the FIFO
    // never overflows however loaded the machine is.
    const link = CosimLink.start({ simulator: 'verilator', engines: 2, clockHz: 36_000_000, freeRun: false });
    try {
      const n = 50_000;
      const rtlWant = referenceNonces(header, first, n, 6);
      const r = await scanThroughNoise(link, header, first, n, 6, 2000, 0x7654321, () => link.runCycles(20_000));
      expect(r.noisy.counts.frames).toBeGreaterThanOrEqual(1000);
      expect(rtlWant.length).toBeGreaterThan(100);
      expect([...r.delivered].sort((a, b) => a - b)).toEqual(rtlWant);
      expect(new Set(r.delivered).size).toBe(r.delivered.length);
      expect(r.hwErrors).toBe(0);
      expect(r.scanned).toBe(n);
      expect(r.noisy.counts.byAddress.get(REG.RESULT_PEEK)?.miso).toBeGreaterThan(0);
    } finally {
      await link.close();
    }
  }, 240_000);
});
