import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTROL_ABORT,
  CONTROL_CLEAR_ERRORS,
  CONTROL_RESET,
  ERR,
  MAGIC,
  PROTOCOL_VERSION,
  REG,
  crc8,
  crc16,
  frameBytes,
  decodeCaps,
  decodeStatus,
  emptyStatus,
  encodeCaps,
  encodeStatus,
} from '../../src/core/protocol.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import { SELF_TEST } from '../../src/core/driver.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { headerWork, wordsToHex } from '../../src/work/header-work.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { leadingZeroBits } from '../../src/work/target.ts';

const doc = readFileSync(new URL('../../docs/core-protocol.md', import.meta.url), 'utf8');
const rtl = readFileSync(new URL('../../hdl/kh_core.v', import.meta.url), 'utf8');

describe('core protocol: one source of truth', () => {
  it('CRC-8/SMBUS has the catalogue check value', () => {
    expect(crc8(new TextEncoder().encode('123456789'))).toBe(0xf4);
  });

  it('the register map in docs, the driver constants and kh_core.v agree', () => {
    // Rows like "| 0x05 | `STATUS` | R | …" (and "0x10–0x1e | `WORK`").
    const rows = [...doc.matchAll(/^\| (0x[0-9a-f]{2})(?:–0x[0-9a-f]{2})? \| `([A-Z_]+)` \|/gm)];
    const fromDoc = Object.fromEntries(rows.map((m) => [m[2]!, Number(m[1])]));
    expect(fromDoc).toEqual(REG);
    // localparam [5:0] A_MAGIC = 6'h00, … in the RTL.
    const rtlNames: Record<string, string> = { CLOCK_HZ: 'CLOCK' };
    for (const [name, addr] of Object.entries(REG)) {
      const m = rtl.match(new RegExp(`A_${rtlNames[name] ?? name} = 6'h([0-9a-f]+)`));
      expect(m, `A_${name} in kh_core.v`).not.toBeNull();
      expect(Number.parseInt(m![1]!, 16), name).toBe(addr);
    }
    expect(rtl).toContain(`MAGIC   = 32'h${MAGIC.toString(16)}`);
    expect(rtl).toContain(`VERSION = 32'h${PROTOCOL_VERSION.toString(16).padStart(8, '0')}`);
    expect(doc).toContain(`\`0x${MAGIC.toString(16)}\``);
  });

  it('error bits and control bits match the doc', () => {
    const bits = [...doc.matchAll(/^\| (\d) \| `ERR_([A-Z]+)` \|/gm)].map((m) => [m[2]!, 1 << Number(m[1])]);
    expect(Object.fromEntries(bits)).toEqual(ERR);
    expect(doc).toMatch(/bit 0 `RESET`/);
    expect(doc).toMatch(/bit 1 `CLEAR_ERRORS`/);
    expect(doc).toMatch(/bit 2 `ABORT`/);
    expect([CONTROL_RESET, CONTROL_CLEAR_ERRORS, CONTROL_ABORT]).toEqual([1, 2, 4]);
  });

  it('CAPS and STATUS round-trip through their codecs', () => {
    const caps = { engines: 3, queueDepth: 2, fifoDepth: 16, cyclesPerNonce: 128 };
    expect(decodeCaps(encodeCaps(caps))).toEqual(caps);
    const s = { busy: true, queueFull: false, queued: 1, resultReady: true, results: 5, errors: ERR.CRC | ERR.FIFO, accepted: 0xfe };
    expect(decodeStatus(encodeStatus(s), emptyStatus())).toEqual(s);
  });

  it('CRC-16/CCITT-FALSE has the catalogue check value', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('frames are laid out as the doc says (the WORK frame for block 125552, §6)', () => {
    const header = hexToBytes(SELF_TEST.header);
    const work = headerWork(header);
    const words = new Uint32Array(15);
    words.set(work.midstate, 0);
    words.set(work.tail, 8);
    words.set([SELF_TEST.first, SELF_TEST.last, 1, 32], 11);
    expect(doc).toContain(`\`${wordsToHex(work.midstate).match(/.{8}/g)!.join(' ')}\``);
    const f = buildWrite(new Uint8Array(4 + 60 + 2), REG.WORK, words);
    const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    expect(doc).toContain(`\`${hex(f.subarray(0, 4))}\``);
    expect(doc).toContain(`\`${hex(f.subarray(64))}\``);
    expect(f[3]).toBe(crc8(f, 0, 3));
    const out = new Uint8Array(32);
    new NonceHasher(header).hash(SELF_TEST.nonce, out);
    expect(doc).toContain(`${leadingZeroBits(out)} leading zero bits`);
  });

  it('no reply made of one filler byte passes the data CRC, at any length', () => {
    // A refused read answers 0xff to its end, a refused non-read 0x00 (whatever COUNT the
    // corrupted header claimed): neither may look like a good reply.
    for (let count = 1; count <= 16; count++) {
      for (const fill of [0x00, 0xff]) {
        const r = buildRead(new Uint8Array(frameBytes(count)), REG.STATUS, count);
        r.fill(fill, 4);
        expect(parseRead(r, count, new Uint32Array(count)), `${count} words of 0x${fill.toString(16)}`).toBe(false);
      }
    }
  });

  it('refuses to build a frame in a buffer of the wrong size', () => {
    expect(() => buildRead(new Uint8Array(8), REG.STATUS, 1)).toThrow(RangeError);
    expect(() => buildWrite(new Uint8Array(100), REG.WORK, new Uint32Array(17))).toThrow(RangeError);
  });
});
