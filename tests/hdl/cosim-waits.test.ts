/**
 * The free-running co-simulation waits for its host: once READY rises no cycle runs but those
 * of the frames that read the results, however long the host takes, so a slow host process
 * cannot overflow the simulated core's FIFO. Without it (`waitForHost: false`) the same work
 * overflows the FIFO, which is what the option prevents.
 *
 * A work at a one-bit threshold (about every second nonce a result) on the lanes' RTL under
 * each simulator.
 */
import { describe, expect, it } from 'vitest';
import { buildWrite } from '../../src/core/frames.ts';
import { ERR, REG, WORK_WORDS, decodeStatus, emptyStatus, encodeWork, frameBytes } from '../../src/core/protocol.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { CosimLink } from '../../host/rtl/cosim/bridge.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { headerWork } from '../../src/work/header-work.ts';
import { readRegisters } from '../helpers/register-stimulus.ts';
import { simulatorsHere } from '../helpers/simulators.ts';

async function status(link: CosimLink) {
  return decodeStatus((await readRegisters(link, REG.STATUS, 1)).words[0]!, emptyStatus());
}

/** A work over the whole nonce space at a one-bit threshold. */
async function pushFloodingWork(link: CosimLink): Promise<void> {
  const hw = headerWork(hexToBytes(SELF_TEST.header));
  const work = encodeWork(new Uint32Array(WORK_WORDS), hw.midstate, hw.tail, 0, 0xffffffff, 1, 1);
  await link.transfer(buildWrite(new Uint8Array(frameBytes(WORK_WORDS)), REG.WORK, work));
}

/** Resolves once `done()` holds, checked every 2 ms; fails after `ms`. */
async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe.each(simulatorsHere(['verilator', 'icarus'] as const))('co-simulation under %s waits for its host', (simulator) => {
  it('runs no cycle while a result waits unread, so the FIFO never overflows', async () => {
    const link = CosimLink.start({ simulator, engines: 2, clockHz: 36_000_000 });
    try {
      await pushFloodingWork(link);
      await until(() => link.ready.read(), 120_000, 'READY');
      const parkedAt = link.cycles;
      // A host that takes its time: the simulation must not move meanwhile. (This wait only
      // gives a simulation that runs on the chance to show it; the pass does not depend on it.)
      await new Promise((r) => setTimeout(r, 300));
      expect(link.cycles).toBe(parkedAt);
      const s = await status(link);
      expect(s.errors & ERR.FIFO).toBe(0);
      expect(s.results).toBeGreaterThan(0);
      expect(s.results).toBeLessThan(16);
      expect(s.busy).toBe(true);
    } finally {
      await link.close();
    }
  }, 180_000);

  it('without waiting, the same work overflows the FIFO once the host lets enough cycles pass', async () => {
    const link = CosimLink.start({ simulator, engines: 2, clockHz: 36_000_000, waitForHost: false });
    try {
      await pushFloodingWork(link);
      const from = link.cycles;
      // About a result every 2 nonces: 16 results take a few thousand cycles on the lanes.
      await until(() => link.cycles - from > 50_000, 120_000, '50 000 cycles');
      expect((await status(link)).errors & ERR.FIFO).toBe(ERR.FIFO);
    } finally {
      await link.close();
    }
  }, 180_000);
});
