/**
 * The firmware's FPGA loader (src/platform/ice40) against a fake iCE40 configuration port with
 * the same ECMA-419 Digital/SPI shapes the device passes. The fake holds the loader to Lattice's
 * SPI slave sequence (FPGA-TN-02001): SS_B low at CRESET_B's rising edge, CRESET_B low ≥ 200 ns,
 * ≥ 1200 µs before the first byte, the bytes it receives equal to the bitstream file, CDONE only
 * then, ≥ 49 clocks after CDONE, SS_B high at the end.
 */
import { describe, expect, it } from 'vitest';
import { checkBitstream } from '../../src/platform/ice40/bitstream.ts';
import { up5kImage } from '../helpers/ice40-image.ts';
import { configureIce40, FpgaConfigError, type BitstreamSource, type Ice40Port } from '../../src/platform/ice40/configure.ts';

const source = (b: Uint8Array): BitstreamSource => ({ byteLength: b.length, read: (o, n) => b.slice(o, o + n) });

/** The iCE40's side of the wires, with a clock that only moves when the loader waits. */
class FakeIce40 implements Ice40Port {
  readonly violations: string[] = [];
  readonly received: number[] = [];
  nowUs = 0;
  ssLevel = 1;
  cresetLevel = 1;
  private cresetFellAt = -1;
  private clearedAt = Infinity;
  private slave = false;
  done = false;
  clocksAfterDone = 0;
  ssRoseAfterDone = false;
  pinEvents = 0;

  constructor(private readonly expected: Uint8Array) {}

  delayUs = (us: number) => { this.nowUs += us; };

  creset = {
    write: (v: number) => {
      this.pinEvents++;
      if (v === 0) {
        this.cresetFellAt = this.nowUs;
        this.done = false;
        this.received.length = 0;
      } else if (this.cresetLevel === 0) {
        if (this.nowUs - this.cresetFellAt < 0.2) this.violations.push('CRESET_B low for less than 200 ns');
        this.slave = this.ssLevel === 0;
        if (!this.slave) this.violations.push('SS_B high at the CRESET_B edge: the FPGA would boot from its SPI flash');
        this.clearedAt = this.nowUs + 1200;
      }
      this.cresetLevel = v;
    },
  };

  cdone = { read: () => (this.done ? 1 : 0) };

  ss = {
    write: (v: number) => {
      this.pinEvents++;
      if (v === 1 && this.done) this.ssRoseAfterDone = true;
      this.ssLevel = v;
    },
  };

  spi = {
    write: (bytes: Uint8Array) => {
      if (this.ssLevel !== 0) return void this.violations.push('SPI clocks with SS_B high');
      if (!this.slave) return void this.violations.push('bytes before a CRESET_B pulse');
      if (this.nowUs < this.clearedAt) return void this.violations.push(`bytes ${this.clearedAt - this.nowUs} µs before the configuration memory is clear`);
      if (this.done) {
        this.clocksAfterDone += bytes.length * 8;
        return;
      }
      for (const b of bytes) this.received.push(b);
      // The real part checks a CRC; this one compares with the file. CDONE rises once the
      // whole image has arrived intact (and the trailing clocks start the user design).
      const n = this.expected.length;
      if (this.received.length >= n && this.received.slice(0, n).every((b, i) => b === this.expected[i])) this.done = true;
    },
  };
}

describe('iCE40 SPI slave configuration', () => {
  it('loads a UP5K image in the order and with the waits TN-02001 asks for', () => {
    const image = up5kImage();
    const fpga = new FakeIce40(image);
    const report = configureIce40(fpga, source(image), { chunk: 4096 });
    expect(fpga.violations).toEqual([]);
    expect(fpga.received.length).toBe(image.length);
    expect(Uint8Array.from(fpga.received)).toEqual(image);
    expect(fpga.clocksAfterDone).toBeGreaterThanOrEqual(49);
    expect(fpga.ssRoseAfterDone).toBe(true);
    expect(fpga.cresetLevel).toBe(1);
    expect(report).toEqual({ bytes: image.length, dummyBytes: 0 });
  });

  it('keeps clocking dummy bytes until CDONE rises', () => {
    const image = up5kImage();
    // An FPGA that needs a few more clocks than the image: it expects 3 zero bytes after it.
    const fpga = new FakeIce40(Uint8Array.from([...image, 0, 0, 0]));
    const report = configureIce40(fpga, source(image));
    expect(fpga.violations).toEqual([]);
    expect(report.dummyBytes).toBe(3);
  });

  it('a corrupted image: CDONE never rises, a clear error, SS_B released', () => {
    const image = up5kImage();
    const damaged = image.slice();
    damaged[50_000] = damaged[50_000]! ^ 0x10;
    const fpga = new FakeIce40(image);
    expect(() => configureIce40(fpga, source(damaged), { maxDummyBytes: 64 })).toThrow(FpgaConfigError);
    expect(() => configureIce40(fpga, source(damaged), { maxDummyBytes: 64 })).toThrow(/CDONE did not rise within 64 bytes after the 104090-byte bitstream/);
    expect(fpga.ssLevel).toBe(1);
  });

  it.each([
    ['a truncated image', up5kImage().slice(0, 100_000), /100000 bytes: an iCE40UP5K bitstream has 104090 here/],
    ['a padded image', Uint8Array.from([...up5kImage(), 0, 0]), /104092 bytes/],
    ['an HX8K image', (() => { const b = up5kImage(); b[16] = 0x03; b[17] = 0x67; return b; })(), /for iCE40HX8K, not iCE40UP5K/],
    ['not a bitstream', new Uint8Array(104_090).fill(0x55), /no iCE40 sync word/],
  ])('%s is refused before any pin moves', (_name, image, message) => {
    const fpga = new FakeIce40(image);
    expect(() => configureIce40(fpga, source(image))).toThrow(message);
    expect(fpga.pinEvents).toBe(0);
  });

  it('an FPGA that never leaves CDONE high through reset is reported as a wiring fault', () => {
    const image = up5kImage();
    const fpga = new FakeIce40(image);
    fpga.cdone = { read: () => 1 };
    expect(() => configureIce40(fpga, source(image))).toThrow(/CDONE stayed high through CRESET_B/);
  });

  it('accepts the comment block icepack may write before the sync word', () => {
    const image = up5kImage(2, [0x4c, 0x61, 0x74, 0x74, 0x69, 0x63, 0x65, 0x00]);
    expect(checkBitstream(image.slice(0, 64), image.length)).toMatchObject({ ok: true, syncAt: 12 });
    const fpga = new FakeIce40(image);
    configureIce40(fpga, source(image));
    expect(fpga.violations).toEqual([]);
  });
});
