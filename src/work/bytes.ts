/**
 * Hex and byte-order helpers. Bitcoin mixes orders freely (hashes are shown reversed, header
 * fields are little-endian, Stratum sends some words big-endian), so every conversion here
 * says which order it reads and writes.
 */
import { InputError } from './errors.ts';

const HEX_DIGITS = '0123456789abcdef';
const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!);

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Parses hex (either case, no prefix) into bytes. `field` names the input in the error;
 * `length`, when given, is the exact number of bytes required.
 */
export function hexToBytes(hex: unknown, field = 'hex', length?: number): Uint8Array {
  if (typeof hex !== 'string') throw new InputError(field, `expected a hex string, got ${describeValue(hex)}`);
  if (hex.length % 2 !== 0) throw new InputError(field, `odd number of hex digits (${hex.length})`);
  const n = hex.length / 2;
  if (length !== undefined && n !== length) {
    throw new InputError(field, `expected ${length} bytes (${length * 2} hex digits), got ${n} bytes`);
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new InputError(field, `not hex: '${hex[at]}' at position ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Lowercase hex, no prefix — the form Stratum and block explorers use. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!];
  return s;
}

/** A reversed copy: internal byte order ⇄ the display order block explorers use. */
export function reversed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[bytes.length - 1 - i]!;
  return out;
}

/** Hex of the bytes in reverse order (hashes as explorers show them). */
export function toDisplayHex(bytes: Uint8Array): string {
  return bytesToHex(reversed(bytes));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function readU32LE(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export function readU32BE(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function writeU32LE(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function writeU32BE(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/** Eight hex digits, lowercase, of an unsigned 32-bit value (big-endian, as Stratum sends words). */
export function u32ToHex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/**
 * A 32-bit word sent as 8 hex digits, big-endian (Stratum's version, nbits, ntime, nonce).
 */
export function hexToU32(hex: unknown, field: string): number {
  return readU32BE(hexToBytes(hex, field, 4), 0);
}

/**
 * A 32-bit unsigned integer given as decimal or 0x-prefixed hex (CLI style).
 */
export function parseU32(text: string, field: string): number {
  const t = text.trim();
  const isHex = /^0x[0-9a-f]+$/i.test(t);
  if (!isHex && !/^[0-9]+$/.test(t)) {
    throw new InputError(field, `expected a decimal or 0x-hex integer, got '${text}'`);
  }
  const v = Number(t);
  if (!Number.isSafeInteger(v) || v > 0xffffffff) {
    throw new InputError(field, `out of the 32-bit range 0..4294967295: '${text}'`);
  }
  return v;
}

/** A value as an error message quotes it: short strings in quotes, anything else by its type. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  return typeof v;
}
