/**
 * UP5K-shaped bitstreams for tests: the bytes icepack writes before the CRAM data (comment,
 * sync word, the UP5K's commands, as in a real `kilohash synth --device up5k` image), then
 * pseudo-random data to the UP5K's exact length.
 */
import { UP5K } from '../../src/platform/ice40/bitstream.ts';

/** A UP5K-shaped image as icepack writes it: a comment (empty by default), sync, the UP5K's commands, then CRAM data. */
export function up5kImage(seed = 1, comment: number[] = []): Uint8Array {
  const head = [0xff, 0x00, ...comment, 0x00, 0xff, 0x7e, 0xaa, 0x99, 0x7e, 0x51, 0x00, 0x01, 0x05, 0x92, 0x00, 0x20, 0x62, 0x02, 0xb3, 0x82, 0x00, 0x00, 0x72, 0x01, 0x50, 0x11, 0x00, 0x01, 0x01];
  const syncAt = 4 + comment.length;
  const out = new Uint8Array(syncAt + UP5K.bytesFromSync!);
  out.set(head);
  let x = seed;
  for (let i = head.length; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
