/**
 * The driver against a misbehaving link or core (the model underneath, so the faults are
 * exact and the runs fast): corrupted frames either way, a core that stops hashing, a core
 * that reports a wrong nonce, and a link with nothing on the other end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import { CoreError } from '../../src/core/register-port.ts';
import { parseRead } from '../../src/core/frames.ts';
import type { CoreLink } from '../../src/core/link.ts';
import { CoreModel } from '../../src/core/model/core-model.ts';
import { CMD_READ, CMD_WRITE, CONTROL_RESET, REG, crc16 } from '../../src/core/protocol.ts';
import { scanRange } from '../../host/core/scan.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { referenceNonces } from '../helpers/reference-nonces.ts';

const HEADER = hexToBytes('0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695');
const FIRST = 0x9546a142 - 60_000;
const COUNT = 120_000;
const THRESHOLD = 12;

const WANT = referenceNonces(HEADER, FIRST, COUNT, THRESHOLD);

/**
 * The model behind a link whose faults a test chooses. The model hashes on a timer unless
 * `stuck`, which only a RESET frame clears (a hung core that a reset revives).
 */
class FaultyModel implements CoreLink {
  readonly model = new CoreModel();
  frames = 0;
  stuck = false;
  /** Return true to corrupt this frame on MOSI (before the core sees it). */
  corruptTx: (frame: Uint8Array, index: number) => boolean = () => false;
  /** Return true to corrupt this reply on MISO (after the core answered). */
  corruptRx: (frame: Uint8Array, index: number, sent: Uint8Array) => boolean = () => false;
  /** Rewrite a RESULT reply (a faulty engine): gets the reply, returns nothing. */
  tamperResult?: (reply: Uint8Array) => void;
  private timer = setInterval(() => { if (!this.stuck) this.model.hash(2048); }, 1);

  transfer(frame: Uint8Array): void {
    const i = this.frames++;
    const sent = frame.slice();
    if (this.corruptTx(frame, i)) frame[frame.length - 1]! ^= 0x10;
    if (sent[0] === CMD_WRITE && sent[1] === REG.CONTROL && (sent[7]! & CONTROL_RESET) && frame[frame.length - 1] === sent[sent.length - 1]) this.stuck = false;
    this.model.transfer(frame);
    if (sent[0] === CMD_READ && (sent[1] === REG.RESULT || sent[1] === REG.RESULT_PEEK) && this.tamperResult) this.tamperResult(frame);
    if (this.corruptRx(frame, i, sent)) frame[5]! ^= 0x04;
  }

  close(): void {
    clearInterval(this.timer);
  }
}

const links: FaultyModel[] = [];
function faulty(): FaultyModel {
  const l = new FaultyModel();
  links.push(l);
  return l;
}
afterEach(() => { for (const l of links.splice(0)) l.close(); });

function scan(link: CoreLink, extra: { hangTimeoutMs?: number } = {}) {
  return scanRange({ link, clock: keepAliveClock, header: HEADER, start: FIRST, count: COUNT, thresholdBits: THRESHOLD, workSize: 8000, pollMs: 2, ...extra });
}

describe('core driver under faults', () => {
  it('resends frames the core refused for a corrupted CRC (every 7th frame hit on MOSI)', async () => {
    const link = faulty();
    link.corruptTx = (_f, i) => i % 7 === 3;
    const s = await scan(link);
    expect(s.nonces.map((f) => f.nonce)).toEqual(WANT);
    expect(s.scanned).toBe(COUNT);
    expect(s.retries).toBeGreaterThan(0);
    expect(s.hwErrors).toBe(0);
  });

  it('re-reads status, counters and results whose reply was corrupted on MISO, losing nothing', async () => {
    const link = faulty();
    let results = 0;
    link.corruptRx = (_f, i, sent) => {
      if (sent[0] !== CMD_READ) return false;
      // Every other result reply: the core keeps the result until it is acknowledged.
      if (sent[1] === REG.RESULT_PEEK) return ++results % 2 === 1;
      return sent[1] === REG.STATUS && i % 5 === 1;
    };
    const s = await scan(link);
    expect(s.nonces.map((f) => f.nonce)).toEqual(WANT);
    expect(results).toBeGreaterThan(2 * WANT.length);
    expect(s.retries).toBeGreaterThan(WANT.length);
  });

  it('resets a core that stops hashing, re-runs its work, and reports nothing twice', async () => {
    const link = faulty();
    let polls = 0;
    link.corruptTx = (f) => {
      // Freeze the engines a little way into the scan.
      if (f[0] === CMD_READ && f[1] === REG.STATUS && ++polls === 10) link.stuck = true;
      return false;
    };
    const s = await scan(link, { hangTimeoutMs: 150 });
    expect(s.resets).toBe(1);
    expect(s.nonces.map((f) => f.nonce)).toEqual(WANT);
    expect(s.scanned).toBeGreaterThanOrEqual(COUNT);
    expect(s.hwErrors).toBe(0);
  });

  it('counts a wrong nonce from the core as a hardware error and never delivers it', async () => {
    const link = faulty();
    let tampered = 0;
    link.tamperResult = (reply) => {
      const w = new Uint32Array(2);
      parseRead(reply, 2, w);
      if (!(w[0]! & 0x80000000) || tampered++ > 0) return;
      reply[11]! ^= 0x01; // the nonce's low byte: a different, almost surely failing nonce
      const crc = crc16(reply, 4, 12); // and a CRC that matches, as a faulty engine would send
      reply[12] = crc >>> 8;
      reply[13] = crc & 0xff;
    };
    const s = await scan(link);
    expect(s.hwErrors).toBe(1);
    expect(s.nonces.map((f) => f.nonce)).toEqual(WANT.slice(1));
  });

  it('still drives a protocol 1.0 core: CRC-8 frames, results popped by the read', async () => {
    const model = new CoreModel({ protocol: '1.0' });
    const timer = setInterval(() => model.hash(4096), 1);
    try {
      const s = await scan({ transfer: (f) => model.transfer(f) });
      expect(s.identity.version).toBe(0x00010000);
      expect(s.nonces.map((f) => f.nonce)).toEqual(WANT);
      expect(s.scanned).toBe(COUNT);
    } finally {
      clearInterval(timer);
    }
  });

  it('says clearly when nothing answers on the link', async () => {
    const dead: CoreLink = { transfer: (f) => { f.fill(0xff); } };
    const d = new CoreDriver({ link: dead, clock: keepAliveClock });
    await expect(d.probe()).rejects.toThrow(/reads of 0x0 failed their CRC/);
    const zeros: CoreLink = { transfer: (f) => { f.fill(0); } };
    await expect(new CoreDriver({ link: zeros, clock: keepAliveClock }).probe()).rejects.toThrow(CoreError);
    await expect(new CoreDriver({ link: zeros, clock: keepAliveClock }).probe()).rejects.toThrow(/no kilohash core: MAGIC reads 0x00000000/);
  });
});
