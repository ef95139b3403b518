/**
 * The coinbase transaction the local pool hands out, split where the extranonces go:
 *   coinb1 = version ‖ 1 input ‖ null prevout ‖ scriptSig length ‖ BIP34 height push ‖ push(extranonce)…
 *   coinb2 = …pool tag ‖ sequence ‖ outputs (reward to the payout script) ‖ locktime
 * The scriptSig pushes the extranonce bytes as one data push so the script stays valid.
 */
import { concatBytes } from '../../src/work/bytes.ts';

export function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/** BIP34: the height as a minimally encoded script number push. */
export function heightPush(height: number): Uint8Array {
  if (height === 0) return Uint8Array.of(0x00); // OP_0
  if (height >= 1 && height <= 16) return Uint8Array.of(0x50 + height); // OP_1..OP_16
  const bytes: number[] = [];
  let h = height;
  while (h > 0) {
    bytes.push(h & 0xff);
    h = Math.floor(h / 256);
  }
  if (bytes[bytes.length - 1]! & 0x80) bytes.push(0); // keep it positive
  return Uint8Array.of(bytes.length, ...bytes);
}

function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

export interface CoinbaseParts {
  coinb1: Uint8Array;
  coinb2: Uint8Array;
}

export function buildCoinbaseParts(opts: {
  height: number;
  extranonceSize: number;
  tag: string;
  payoutScript: Uint8Array;
  valueSats: bigint;
}): CoinbaseParts {
  const tag = new TextEncoder().encode(opts.tag).subarray(0, 40);
  const height = heightPush(opts.height);
  const enPush = opts.extranonceSize > 0 ? Uint8Array.of(opts.extranonceSize) : new Uint8Array(0);
  const tagPush = Uint8Array.of(tag.length, ...tag);
  const scriptLength = height.length + enPush.length + opts.extranonceSize + tagPush.length;
  if (scriptLength < 2 || scriptLength > 100) throw new RangeError(`coinbase scriptSig of ${scriptLength} bytes is outside 2..100`);
  const coinb1 = concatBytes(
    Uint8Array.of(1, 0, 0, 0), // version 1
    Uint8Array.of(1), // one input
    new Uint8Array(32), // null prevout hash
    Uint8Array.of(0xff, 0xff, 0xff, 0xff), // prevout index
    varint(scriptLength),
    height,
    enPush,
  );
  const coinb2 = concatBytes(
    tagPush,
    Uint8Array.of(0xff, 0xff, 0xff, 0xff), // sequence
    Uint8Array.of(1), // one output
    u64le(opts.valueSats),
    varint(opts.payoutScript.length),
    opts.payoutScript,
    new Uint8Array(4), // locktime
  );
  return { coinb1, coinb2 };
}
