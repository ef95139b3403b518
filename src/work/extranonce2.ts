/**
 * The extranonce2 counter: the part of the coinbase the miner chooses, of exactly the size the
 * pool gave at subscribe (0–16 bytes). Wider values are refused rather than truncated, and a
 * wrap is reported so the miner knows the job's space is spent.
 */
import { bytesToHex, hexToBytes } from './bytes.ts';
import { InputError } from './errors.ts';

export const MAX_EXTRANONCE2_SIZE = 16;

export class Extranonce2Counter {
  readonly size: number;
  private readonly value: Uint8Array;

  constructor(size: number, start?: Uint8Array) {
    if (!Number.isInteger(size) || size < 0 || size > MAX_EXTRANONCE2_SIZE) {
      throw new InputError('extranonce2_size', `must be an integer 0..${MAX_EXTRANONCE2_SIZE}, got ${String(size)}`);
    }
    this.size = size;
    this.value = new Uint8Array(size);
    if (start) this.set(start);
  }

  static fromHex(hex: string, size: number): Extranonce2Counter {
    return new Extranonce2Counter(size, hexToBytes(hex, 'extranonce2', size));
  }

  set(bytes: Uint8Array): void {
    if (bytes.length !== this.size) {
      throw new InputError('extranonce2', `expected ${this.size} bytes, got ${bytes.length}`);
    }
    this.value.set(bytes);
  }

  /** The current value; a view, copy it to keep it past the next increment. */
  get bytes(): Uint8Array {
    return this.value;
  }

  get hex(): string {
    return bytesToHex(this.value);
  }

  /**
   * Steps to the next value (counting as a big-endian number, so the hex reads naturally).
   * Returns true when it wrapped back to all zeros — for size 0 that is every call.
   */
  increment(): boolean {
    for (let i = this.size - 1; i >= 0; i--) {
      const v = this.value[i]! + 1;
      if (v <= 0xff) {
        this.value[i] = v;
        return false;
      }
      this.value[i] = 0;
    }
    return true;
  }

  /** How many distinct values this size allows (Infinity beyond 2^53, which no miner exhausts). */
  get space(): number {
    return this.size >= 7 ? Infinity : 2 ** (8 * this.size);
  }
}
