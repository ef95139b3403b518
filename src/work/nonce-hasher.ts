/**
 * Double SHA-256 of one 80-byte header per nonce, the way a miner does it: the midstate of the
 * first 64 bytes is computed once, then each nonce costs two compressions. No allocation per
 * nonce; the digest is written into a caller's buffer.
 */
import { headerWork } from './header-work.ts';
import { compressWords, SHA256_IV, stateToBytes } from './sha256.ts';

export class NonceHasher {
  readonly midstate: Uint32Array;
  /** Header bytes 64..75 as big-endian words (the core's work layout). */
  readonly tail: Uint32Array;
  /** Second block of the header: words 0–2 are the header tail, word 3 the nonce, then padding. */
  private readonly block2 = new Uint32Array(16);
  /** The 32-byte first digest, padded to one block for the outer hash. */
  private readonly block3 = new Uint32Array(16);
  private readonly state = new Uint32Array(8);

  constructor(header: Uint8Array) {
    const work = headerWork(header);
    this.midstate = work.midstate;
    this.tail = work.tail;
    this.block2.set(work.tail);
    this.block2[4] = 0x80000000;
    this.block2[15] = 80 * 8;
    this.block3[8] = 0x80000000;
    this.block3[15] = 32 * 8;
  }

  /**
   * Writes SHA-256d(header with `nonce`) into `out` (internal byte order, as the hash
   * function returns it). `nonce` is the value of the header's little-endian nonce field.
   */
  hash(nonce: number, out: Uint8Array): Uint8Array {
    const s = this.state;
    s.set(this.midstate);
    // The header stores the nonce little-endian; SHA-256 reads the block big-endian.
    this.block2[3] =
      ((nonce & 0xff) << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24);
    compressWords(s, this.block2);
    this.block3.set(s);
    s.set(SHA256_IV);
    compressWords(s, this.block3);
    return stateToBytes(s, out);
  }
}
