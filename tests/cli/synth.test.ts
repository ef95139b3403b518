import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rtlCyclesPerNonce } from '../../host/rtl/simulators.ts';
import { kilohash } from '../helpers/cli.ts';
import { checkBitstream } from '../../src/platform/ice40/bitstream.ts';

describe('kilohash synth', () => {
  // A functional check that the npm-only toolchain runs end to end on a clean machine; the
  // figures themselves are benchmarks, recorded in docs/core-design.md, not asserted here.
  it('synthesises, places, routes and packs the core, reporting consistent figures', () => {
    const out = mkdtempSync(join(tmpdir(), 'kh-synth-'));
    const r = kilohash(['synth', '--device', 'hx8k', '--engines', '1', '--out', out, '--json'], 20 * 60_000);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.logicCells.used).toBeGreaterThan(0);
    expect(report.logicCells.used).toBeLessThanOrEqual(report.logicCells.available);
    expect(report.fmaxMhz).toBeGreaterThan(0);
    expect(report.cyclesPerNonce).toBe(rtlCyclesPerNonce());
    expect(report.hashRate).toBeCloseTo((report.engines * report.fmaxMhz * 1e6) / report.cyclesPerNonce, 3);
    expect(report.builtHashRate).toBeCloseTo((report.engines * report.requestedClockMhz * 1e6) / report.cyclesPerNonce, 3);
    expect(existsSync(report.bitstream)).toBe(true);
    expect(statSync(report.bitstream).size).toBe(135_100); // an HX8K bitstream
    // The firmware's loader tells it from a UP5K image by its CRAM bank width.
    const bytes = new Uint8Array(readFileSync(report.bitstream));
    expect(checkBitstream(bytes, bytes.length)).toEqual({ ok: false, reason: 'the bitstream is for iCE40HX8K, not iCE40UP5K' });
    expect(report.dsp).toBe(0);
  }, 20 * 60_000);

  it('builds the UP5K with its adders and counters on the DSP blocks, through place and route', () => {
    const out = mkdtempSync(join(tmpdir(), 'kh-synth-'));
    const r = kilohash(['synth', '--device', 'up5k', '--engines', '1', '--out', out, '--json'], 20 * 60_000);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Two per lane (h + K + W) and one per 64-bit counter's low half.
    expect(report.dsp).toBe(2 * 1 + 2);
    expect(report.fmaxMhz).toBeGreaterThan(0);
    expect(existsSync(report.bitstream)).toBe(true);
    // What the firmware's FPGA loader and `kilohash firmware` accept as a UP5K image.
    const bytes = new Uint8Array(readFileSync(report.bitstream));
    expect(checkBitstream(bytes, bytes.length)).toMatchObject({ ok: true, syncAt: 4 });
  }, 20 * 60_000);

  it('refuses a bad device', () => {
    const r = kilohash(['synth', '--device', 'ecp5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--device must be up5k or hx8k/);
  });

  it.each([
    [['--board', 'tinyfpga'], /--board must be one of icev-wireless, icebreaker, hx8k, got 'tinyfpga'/],
    [['--board', 'icebreaker', '--device', 'hx8k'], /--board icebreaker carries an up5k, not an hx8k/],
    [['--board', 'icev-wireless', '--baud', '115200'], /--baud is for a board on a UART \(icebreaker\); icev-wireless talks SPI/],
    [['--board', 'icebreaker', '--baud', '3000000', '--clock-mhz', '20'], /--baud: 3000000 baud needs at least 8 clock cycles a bit: a 20 MHz core runs at most 2500000 baud/],
    [['--board', 'icebreaker', '--baud', '2300000', '--clock-mhz', '20'], /--baud: 2300000 baud is 3\.4 % off at 20 MHz/],
  ])('refuses %j before synthesising anything', (args, message) => {
    const r = kilohash(['synth', ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('refuses more lanes than the engine supports', () => {
    const r = kilohash(['synth', '--engines', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--engines/);
  });
});
