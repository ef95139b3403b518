/**
 * UTF-8 both ways without TextEncoder/TextDecoder, which XS does not have. Malformed input
 * decodes to U+FFFD rather than throwing: a pool's bad byte must not end the session.
 */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Characters per String.fromCharCode.apply: a fraction of the device's 512-slot JS stack. */
const ASCII_RUN = 64;

export function decodeUtf8(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      // Fast path: Stratum is almost all ASCII. `apply` puts every character on the JS stack:
      // a bigger run overflowed XS's stack at the ESP32-C3's creation size (512 slots).
      let j = i;
      while (j < end && j - i < ASCII_RUN && b[j]! < 0x80) j++;
      s += String.fromCharCode.apply(null, Array.from(b.subarray(i, j)));
      i = j;
      continue;
    }
    const need = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (need < 0 || i + need >= end) {
      s += '\ufffd';
      i++;
      continue;
    }
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (d & 63);
    }
    if (!ok || cp > 0x10ffff) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += need + 1;
  }
  return s;
}
