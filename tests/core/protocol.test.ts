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
  WORK_WORD,
  WORK_WORDS,
  crc8,
  decodeResult,
  decodeWork,
  encodeResultHead,
  encodeWork,
  crc16,
  frameBytes,
  decodeCaps,
  decodeStatus,
  emptyStatus,
  encodeCaps,
  encodeStatus,
} from '../../src/core/protocol.ts';
import { buildRead, buildWrite, parseRead } from '../../src/core/frames.ts';
import { generate as generateProtocolVh } from '../../host/tools/gen-protocol-vh.ts';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { headerWork, wordsToHex } from '../../src/work/header-work.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { leadingZeroBits } from '../../src/work/target.ts';

const doc = readFileSync(new URL('../../docs/core-protocol.md', import.meta.url), 'utf8');
/** The RTL that speaks the protocol (the parser, registers, queue and their top), and its testbench. */
const PROTOCOL_RTL = ['kh_frame_parser.v', 'kh_regfile.v', 'kh_work_queue.v', 'kh_core.v', 'tb/tb_core.v'];
const rtlText = (name: string) => readFileSync(new URL(`../../hdl/${name}`, import.meta.url), 'utf8');

describe('core protocol: one source of truth', () => {
  it('CRC-8/SMBUS has the catalogue check value', () => {
    expect(crc8(new TextEncoder().encode('123456789'))).toBe(0xf4);
  });

  it('the register map in docs and the driver constants agree', () => {
    // Rows like "| 0x05 | `STATUS` | R | …" (and "0x10–0x1e | `WORK`").
    const rows = [...doc.matchAll(/^\| (0x[0-9a-f]{2})(?:–0x[0-9a-f]{2})? \| `([A-Z_]+)` \|/gm)];
    const fromDoc = Object.fromEntries(rows.map((m) => [m[2]!, Number(m[1])]));
    expect(fromDoc).toEqual(REG);
    expect(doc).toContain(`\`0x${MAGIC.toString(16)}\``);
  });

  it('the RTL takes its numbers from kh_protocol.vh, and that file is what protocol.ts generates today', () => {
    expect(readFileSync(new URL('../../hdl/kh_protocol.vh', import.meta.url), 'utf8'), 'run npx tsx host/tools/gen-protocol-vh.ts').toBe(generateProtocolVh());
    for (const name of PROTOCOL_RTL) {
      const text = rtlText(name);
      expect(text, name).toContain('`include "kh_protocol.vh"');
      // No register address, command or identity word written out by hand.
      expect(text.match(/(?<!\d)6'h[0-9a-f]{2}|(?<!\d)8'h5[27]\b|32'h4b484153|32'h00020000/g), name).toBeNull();
    }
    expect(generateProtocolVh()).toContain(`localparam [31:0] KH_VERSION = 32'h${PROTOCOL_VERSION.toString(16).padStart(8, '0')};`);
  });

  it('WORK and RESULT layouts round-trip through their codecs', () => {
    const mid = Uint32Array.from({ length: 8 }, (_, i) => 0x01010101 * (i + 1));
    const tail = Uint32Array.of(0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc);
    const words = encodeWork(new Uint32Array(WORK_WORDS), mid, tail, 7, 0xfffffff0, 0x1234, 32);
    expect([words[WORK_WORD.FIRST], words[WORK_WORD.LAST], words[WORK_WORD.ID], words[WORK_WORD.THRESHOLD]]).toEqual([7, 0xfffffff0, 0x1234, 32]);
    const back = decodeWork(words);
    expect([...back.midstate]).toEqual([...mid]);
    expect([...back.tail]).toEqual([...tail]);
    expect(back).toMatchObject({ first: 7, last: 0xfffffff0, id: 0x1234, threshold: 32 });
    const r = decodeResult([encodeResultHead(true, 0x2a, 0xbeef), 0xdeadbeef], { valid: false, seq: 0, id: 0, nonce: 0 });
    expect(r).toEqual({ valid: true, seq: 0x2a, id: 0xbeef, nonce: 0xdeadbeef });
    expect(decodeResult([0, 0], r).valid).toBe(false);
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
    const words = encodeWork(new Uint32Array(WORK_WORDS), work.midstate, work.tail, SELF_TEST.first, SELF_TEST.last, 1, 32);
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
