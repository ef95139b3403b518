/**
 * What makes a file an iCE40 UP5K bitstream, checked before it is built into the firmware
 * (`kilohash firmware`) and again before the device clocks it into the FPGA. icepack writes: an
 * optional comment block (FF 00 … 00 FF), the sync word 7E AA 99 7E, then commands; the CRAM
 * bank width command (opcode 0x62, width − 1 in 16 bits) says which die the image is for, and
 * an uncompressed image of a die always has the same length from the sync word on.
 */

export const SYNC_WORD = [0x7e, 0xaa, 0x99, 0x7e] as const;

export interface Ice40Die {
  name: string;
  /** CRAM bank width (columns of configuration bits), as the 0x62 command carries it (+1). */
  bankWidth: number;
  /** icepack's output from the sync word to the end (the comment before it varies in length). */
  bytesFromSync?: number;
}

/** Measured on `kilohash synth --device up5k` output: 104 090 bytes with an empty comment. */
export const UP5K: Ice40Die = { name: 'iCE40UP5K', bankWidth: 692, bytesFromSync: 104_086 };
const OTHER_DIES: Ice40Die[] = [
  { name: 'iCE40HX8K', bankWidth: 872 },
  { name: 'iCE40HX1K', bankWidth: 332 },
];

/** Where the sync word may start at the latest (after a comment block). */
const MAX_PREAMBLE = 4096;

export type BitstreamCheck = { ok: true; die: Ice40Die; syncAt: number } | { ok: false; reason: string };

/**
 * `head` holds at least the file's first bytes up to a little past the sync word (4 KiB is
 * plenty); `size` is the whole file's. A bitstream for another die, a truncated or padded one
 * and a file that is no bitstream are each refused with the reason.
 */
export function checkBitstream(head: Uint8Array, size: number, want: Ice40Die = UP5K): BitstreamCheck {
  const syncAt = findSync(head);
  if (syncAt < 0) return { ok: false, reason: 'no iCE40 sync word (7E AA 99 7E) in the first 4 KiB: not an iCE40 bitstream' };
  const width = bankWidth(head, syncAt + SYNC_WORD.length);
  if (width === undefined) return { ok: false, reason: 'no CRAM bank width command after the sync word: not an icepack bitstream' };
  if (width !== want.bankWidth) {
    const other = OTHER_DIES.find((d) => d.bankWidth === width);
    return { ok: false, reason: `the bitstream is for ${other ? other.name : `a die with ${width}-column CRAM banks`}, not ${want.name}` };
  }
  if (want.bytesFromSync !== undefined && size - syncAt !== want.bytesFromSync) {
    return { ok: false, reason: `${size} bytes: an ${want.name} bitstream has ${want.bytesFromSync + syncAt} here (truncated, padded or compressed)` };
  }
  return { ok: true, die: want, syncAt };
}

function findSync(b: Uint8Array): number {
  const end = Math.min(b.length, MAX_PREAMBLE) - SYNC_WORD.length;
  for (let i = 0; i <= end; i++) {
    if (b[i] === 0x7e && b[i + 1] === 0xaa && b[i + 2] === 0x99 && b[i + 3] === 0x7e) return i;
  }
  return -1;
}

/** Walks the command stream after the sync word to the first 0x62 (bank width) command. */
function bankWidth(b: Uint8Array, from: number): number | undefined {
  let i = from;
  for (let n = 0; n < 16 && i < b.length; n++) {
    const op = b[i]!;
    const len = op & 0x0f;
    if (op >> 4 === 0x6 && len === 2 && i + 2 < b.length) return ((b[i + 1]! << 8) | b[i + 2]!) + 1;
    if (op === 0x01 && b[i + 1] === 0x01) return undefined; // CRAM data starts: no width was set
    i += 1 + len;
  }
  return undefined;
}
