/**
 * Generates src/core/model/nonce-scanner.generated.ts: the behavioural model's hashing loop,
 * fully unrolled with every constant folded in. Hand-writing 122 rotated SHA-256 rounds invites
 * typos; generating them keeps the source reviewable here and the output mechanical.
 *
 *   npx tsx host/tools/gen-nonce-scanner.ts          (rewrites the file)
 *   npx tsx host/tools/gen-nonce-scanner.ts --check  (exit 1 if the file is stale)
 *
 * What the output does per nonce (docs/core-design.md, "the model"):
 *   hash 1: rounds 0–2 depend only on the work (the nonce enters at W3), so they run once per
 *           work in `prepareScan`; W4–W15 are padding and W16/W17 are per-work constants.
 *   hash 2: W8–W15 are padding constants; only rounds 0–60 run, because the top hash word
 *           H7 = IV7 + e after round 60, and only that word decides whether to report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SHA256_IV, SHA256_K } from '../../src/work/sha256.ts';

const OUT = fileURLToPath(new URL('../../src/core/model/nonce-scanner.generated.ts', import.meta.url));

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const rotr = (x: string, n: number): string => `((${x} >>> ${n}) | (${x} << ${32 - n}))`;
const S0 = (a: string): string => `(${rotr(a, 2)} ^ ${rotr(a, 13)} ^ ${rotr(a, 22)})`;
const S1 = (e: string): string => `(${rotr(e, 6)} ^ ${rotr(e, 11)} ^ ${rotr(e, 25)})`;
const s0 = (w: string): string => `(${rotr(w, 7)} ^ ${rotr(w, 18)} ^ (${w} >>> 3))`;
const s1 = (w: string): string => `(${rotr(w, 17)} ^ ${rotr(w, 19)} ^ (${w} >>> 10))`;

/** Message word t as an expression: a literal when known at generation time, else a local. */
type Word = { kind: 'const'; value: number } | { kind: 'var'; name: string };

/**
 * Emits the schedule words `from..to` (locals `${p}${t}`) and the rounds `rounds` on locals
 * named by rotating `v` (a..h start as v[0..7]); returns the final variable order.
 */
function emitRounds(lines: string[], words: Word[], start: number, end: number, v: string[]): string[] {
  let names = v.slice();
  for (let t = start; t <= end; t++) {
    const [a, b, c, d, e, f, g, h] = names as [string, string, string, string, string, string, string, string];
    const w = words[t]!;
    const kw = w.kind === 'const' ? hex((SHA256_K[t]! + w.value) >>> 0) : `${hex(SHA256_K[t]!)} + ${w.name}`;
    lines.push(`    t1 = (${h} + ${S1(e)} + (${g} ^ (${e} & (${f} ^ ${g}))) + ${kw}) | 0;`);
    lines.push(`    ${d} = (${d} + t1) | 0;`);
    lines.push(`    ${h} = (t1 + ${S0(a)} + ((${a} & ${b}) | (${c} & (${a} | ${b})))) | 0;`);
    // Rotate names instead of moving values: the new a is the old h's variable.
    names = [h, a, b, c, d, e, f, g];
  }
  return names;
}

function emitSchedule(lines: string[], words: Word[], prefix: string, from: number, to: number): void {
  for (let t = from; t <= to; t++) {
    const parts: string[] = [];
    const w2 = words[t - 2]!, w7 = words[t - 7]!, w15 = words[t - 15]!, w16 = words[t - 16]!;
    let constant = 0;
    if (w2.kind === 'const') constant += sigma1(w2.value); else parts.push(s1(w2.name));
    if (w7.kind === 'const') constant += w7.value; else parts.push(w7.name);
    if (w15.kind === 'const') constant += sigma0(w15.value); else parts.push(s0(w15.name));
    if (w16.kind === 'const') constant += w16.value; else parts.push(w16.name);
    constant >>>= 0;
    if (constant !== 0) parts.push(hex(constant));
    const name = `${prefix}${t}`;
    lines.push(`    const ${name} = (${parts.join(' + ')}) | 0;`);
    words[t] = { kind: 'var', name };
  }
}

const rot = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
function sigma0(x: number): number { return (rot(x, 7) ^ rot(x, 18) ^ (x >>> 3)) >>> 0; }
function sigma1(x: number): number { return (rot(x, 17) ^ rot(x, 19) ^ (x >>> 10)) >>> 0; }

export function generate(): string {
  const body: string[] = [];
  // Hash 1, second header block: W0–W2 per work (in `p`), W3 the nonce, W4–W15 padding.
  const w1: Word[] = [];
  w1[0] = { kind: 'var', name: 'p0' };
  w1[1] = { kind: 'var', name: 'p1' };
  w1[2] = { kind: 'var', name: 'p2' };
  w1[3] = { kind: 'var', name: 'w3' };
  for (let t = 4; t < 16; t++) w1[t] = { kind: 'const', value: t === 4 ? 0x80000000 : t === 15 ? 640 : 0 };
  // W16 and W17 depend only on W0–W2 and padding: per-work constants from `prepareScan`.
  w1[16] = { kind: 'var', name: 'w16' };
  w1[17] = { kind: 'var', name: 'w17' };
  body.push('    const w3 = ((n << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) | 0;');
  emitSchedule(body, w1, 'x', 18, 63);
  body.push('    let a = s3a, b = s3b, c = s3c, d = s3d, e = s3e, f = s3f, g = s3g, h = s3h;');
  const after1 = emitRounds(body, w1, 3, 63, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  // Hash 1's digest = midstate + state: the words of hash 2's block.
  for (let i = 0; i < 8; i++) body.push(`    const y${i} = (m${i} + ${after1[i]}) | 0;`);
  const w2: Word[] = [];
  for (let i = 0; i < 8; i++) w2[i] = { kind: 'var', name: `y${i}` };
  for (let t = 8; t < 16; t++) w2[t] = { kind: 'const', value: t === 8 ? 0x80000000 : t === 15 ? 256 : 0 };
  emitSchedule(body, w2, 'y', 16, 60);
  const iv = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  for (let i = 0; i < 8; i++) body.push(`    ${iv[i]} = ${hex(SHA256_IV[i]!)};`);
  const after2 = emitRounds(body, w2, 0, 60, iv);
  // After 61 rounds, `e` is what `h` would hold after 64: H7 = IV7 + e.
  const e61 = after2[4]!;
  body.push(`    const h7 = (${hex(SHA256_IV[7]!)} + ${e61}) | 0;`);
  body.push('    // The hash read as a little-endian number starts with bswap(H7).');
  body.push('    const top = ((h7 << 24) | ((h7 & 0xff00) << 8) | ((h7 >>> 8) & 0xff00) | (h7 >>> 24)) | 0;');
  body.push('    if ((top & mask) === 0) {');
  body.push('      hits[found++] = n >>> 0;');
  body.push('      if (found === hits.length) { i++; break; }');
  body.push('    }');

  return `// GENERATED by host/tools/gen-nonce-scanner.ts — do not edit; run it to regenerate.
/* eslint-disable */
/**
 * Scans \`count\` nonces from \`first\` for one work prepared by \`prepareScan\`; writes each
 * nonce whose hash has the top \`mask\` bits clear into \`hits\` and stops early when \`hits\`
 * is full. Returns the number of nonces hashed; \`scanHits(state)\` says how many were found.
 */
export function scanNonces(p: Int32Array, first: number, count: number, mask: number, hits: Uint32Array): number {
  const p0 = p[0]! | 0, p1 = p[1]! | 0, p2 = p[2]! | 0;
  const m0 = p[3]! | 0, m1 = p[4]! | 0, m2 = p[5]! | 0, m3 = p[6]! | 0;
  const m4 = p[7]! | 0, m5 = p[8]! | 0, m6 = p[9]! | 0, m7 = p[10]! | 0;
  const s3a = p[11]! | 0, s3b = p[12]! | 0, s3c = p[13]! | 0, s3d = p[14]! | 0;
  const s3e = p[15]! | 0, s3f = p[16]! | 0, s3g = p[17]! | 0, s3h = p[18]! | 0;
  const w16 = p[19]! | 0, w17 = p[20]! | 0;
  let found = 0;
  let t1 = 0;
  let i = 0;
  for (; i < count; i++) {
    const n = (first + i) | 0;
${body.join('\n')}
  }
  p[21] = found;
  return i;
}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT, 'utf8');
    if (current !== text) {
      process.stderr.write(`${OUT} is stale: run npx tsx host/tools/gen-nonce-scanner.ts\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
  }
}
