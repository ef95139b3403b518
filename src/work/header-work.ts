/**
 * What the mining core needs from an 80-byte header (docs/core-protocol.md, "Work layout"):
 * the midstate after the first 64 bytes, and the header tail — bytes 64..75 as the big-endian
 * message words W0..W2 of the second block. The nonce (bytes 76..79) is the core's to vary.
 */
import { readU32BE, u32ToHex } from './bytes.ts';
import { midstate } from './sha256.ts';

export interface HeaderWork {
  /** SHA-256 state words A..H after header bytes 0..63. */
  readonly midstate: Uint32Array;
  /** Header bytes 64..75 as three big-endian words. */
  readonly tail: Uint32Array;
}

export function headerWork(header: Uint8Array): HeaderWork {
  if (header.length !== 80) throw new RangeError('a block header is 80 bytes');
  return {
    midstate: midstate(header),
    tail: Uint32Array.of(readU32BE(header, 64), readU32BE(header, 68), readU32BE(header, 72)),
  };
}

/** Words as contiguous 8-digit big-endian hex, word 0 first (how docs and `kilohash job` print them). */
export function wordsToHex(words: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < words.length; i++) s += u32ToHex(words[i]!);
  return s;
}
