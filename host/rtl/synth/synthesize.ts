/**
 * The synthesis flow behind `kilohash synth`: the RTL for a board → yosys (synth_ice40) →
 * nextpnr-ice40 (place, route, timing) → icepack (bitstream), and the figures that matter:
 * cells used, the hashing clock nextpnr can close, cycles per nonce, and the hash rate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UART_DEFAULT_BAUD } from '../../../src/core/protocol.ts';
import { HDL_DIR, ICE40_DSP_DEFINE, rtlCyclesPerNonce } from '../simulators.ts';
import { BOARDS, type Board, type BoardName, type Device } from './devices.ts';
import { fileBytes, fileText, icepack, icepll, nextpnr, yosys, type Tree } from './toolchain.ts';

export type { BoardName, Device } from './devices.ts';

/** The design needs more logic cells than the device has. */
export class DoesNotFit extends Error {
  constructor(
    readonly device: Device,
    readonly engines: number,
    readonly needed: number,
    readonly available: number,
  ) {
    super(`${engines} engine(s) need ${needed} logic cells; the ${device} has ${available}. Use fewer engines.`);
  }
}

export interface SynthOptions {
  board: BoardName;
  engines: number;
  /** A UART board's baud rate (the bit time is the clock / this, rounded). */
  baud?: number;
  seed: number;
  /** The clock the PLL is set to (and nextpnr is asked to meet), MHz. */
  clockMhz: number;
  onProgress?: (stage: string) => void;
}

export interface SynthReport {
  device: Device;
  board: BoardName;
  /** How the host reaches the core; a UART board's baud rate. */
  link: { kind: 'spi' } | { kind: 'uart'; baud: number };
  engines: number;
  seed: number;
  logicCells: { used: number; available: number };
  lut4: number;
  dff: number;
  carry: number;
  bram: { used: number; available: number };
  dsp: number;
  /** nextpnr's maximum frequency for the hashing clock, MHz. */
  fmaxMhz: number;
  requestedClockMhz: number;
  /** fmax ≥ the requested clock: the bitstream's PLL setting is safe. */
  timingMet: boolean;
  cyclesPerNonce: number;
  /** engines × fmax / cycles per nonce. */
  hashRate: number;
  /**
   * What the bitstream hashes as built: engines × the requested clock (the PLL's, on a board
   * with one) / cycles per nonce; null when timing is not met at that clock.
   */
  builtHashRate: number | null;
  /** The slowest path nextpnr found: the cells it starts and ends at, and its logic depth. */
  criticalPath: { from: string; to: string; delayNs: number; cells: number } | null;
  bitstream: Uint8Array;
  seconds: number;
}

const NEXTPNR_DEVICE: Record<Device, string[]> = {
  up5k: ['--up5k', '--package', 'sg48'],
  hx8k: ['--hx8k', '--package', 'ct256'],
};
const CELLS: Record<Device, number> = { up5k: 5280, hx8k: 7680 };

async function pllHeader(clockMhz: number): Promise<string> {
  const r = await icepll(['-i', '12', '-o', String(clockMhz)]);
  const field = (name: string) => {
    const m = new RegExp(`${name}:\\s+(\\d+)`).exec(r.output);
    if (!m) throw new Error(`icepll gave no ${name} for ${clockMhz} MHz:\n${r.output}`);
    return Number(m[1]);
  };
  const achieved = /F_PLLOUT:\s+([\d.]+) MHz \(achieved\)/.exec(r.output);
  return [
    `// Written by kilohash synth: ${clockMhz} MHz from 12 MHz (achieved ${achieved?.[1] ?? '?'} MHz).`,
    `localparam [3:0] PLL_DIVR = 4'd${field('DIVR')};`,
    `localparam [6:0] PLL_DIVF = 7'd${field('DIVF')};`,
    `localparam [2:0] PLL_DIVQ = 3'd${field('DIVQ')};`,
    `localparam [2:0] PLL_FILTER_RANGE = 3'd${field('FILTER_RANGE')};`,
    '',
  ].join('\n');
}

function criticalPath(paths: { path: { type: string; delay: number; from: { cell: string }; to: { cell: string } }[] }[] | undefined): SynthReport['criticalPath'] {
  const worst = paths
    ?.map((p) => ({ p, delay: p.path.reduce((t, seg) => t + seg.delay, 0) }))
    .sort((a, b) => b.delay - a.delay)[0];
  if (!worst || worst.p.path.length === 0) return null;
  const segs = worst.p.path;
  return {
    from: segs[0]!.from.cell,
    to: segs[segs.length - 1]!.to.cell,
    delayNs: Math.round(worst.delay * 100) / 100,
    cells: segs.filter((seg) => seg.type === 'logic').length,
  };
}

function count(stat: string, cell: RegExp): number {
  let n = 0;
  for (const m of stat.matchAll(new RegExp(`^\\s+(${cell.source})\\s+(\\d+)$`, 'gm'))) n += Number(m[2]);
  return n;
}

export interface YosysBuild {
  board: BoardName;
  engines: number;
  clockMhz: number;
  /** A UART board's baud rate (default: the top's). */
  baud?: number;
  /** The top to synthesise (default: the board's). */
  top?: string;
  /** Further script lines after synthesis. */
  extra?: string[];
}

/**
 * The sources and the yosys script of a build: what `kilohash synth` synthesises, and what
 * the netlist test simulates (host/rtl/synth/netlist.ts), from one place.
 */
export async function yosysInput(b: YosysBuild): Promise<Tree> {
  const board: Board = BOARDS[b.board];
  const top = b.top ?? board.top;
  const files: Tree = {};
  const sources: string[] = [];
  for (const name of readdirSync(HDL_DIR)) {
    if (name.endsWith('.v') || name.endsWith('.vh')) files[name] = readFileSync(join(HDL_DIR, name));
    if (name.endsWith('.v')) sources.push(name);
  }
  for (const path of board.files) {
    const name = basename(path);
    files[name] = readFileSync(join(HDL_DIR, path));
    sources.push(name);
  }
  if (board.pll) files['kh_pll.vh'] = await pllHeader(b.clockMhz);
  const clockHz = Math.round(b.clockMhz * 1e6);
  const baud = top === board.top && board.link === 'uart' && b.baud !== undefined ? ` -set BAUD ${b.baud}` : '';
  files['synth.ys'] = [
    // The UP5K's DSP blocks take adders (kh_add32); the HX8K has none.
    `read_verilog -I. ${board.device === 'up5k' ? `-D${ICE40_DSP_DEFINE} ` : ''}${sources.join(' ')}`,
    `chparam -set ENGINES ${b.engines} -set CLOCK_HZ ${clockHz}${baud} ${top}`,
    // No -dsp: the design has no multipliers, and yosys' ice40_dsp pass rewrites hand-placed
    // SB_MAC16 adders as if they were multipliers (two chained ones collapse into one).
    `synth_ice40 -top ${top} -json design.json`,
    'tee -o stat.txt stat',
    ...(b.extra ?? []),
  ].join('\n');
  return files;
}

export async function synthesize(o: SynthOptions): Promise<SynthReport> {
  const t0 = Date.now();
  const board = BOARDS[o.board];
  const device = board.device;
  const progress = o.onProgress ?? (() => undefined);
  const files = await yosysInput({ board: o.board, engines: o.engines, clockMhz: o.clockMhz, ...(o.baud !== undefined ? { baud: o.baud } : {}) });
  if (board.pcf) files['board.pcf'] = readFileSync(join(HDL_DIR, board.pcf));

  progress('yosys: synthesis');
  const syn = await yosys(['-q', '-s', 'synth.ys'], files);
  const stat = fileText(syn.files, 'stat.txt');

  progress('nextpnr-ice40: place and route (this takes minutes)');
  const cellsAvailable = CELLS[device];
  const pnrFiles: Tree = { 'design.json': fileBytes(syn.files, 'design.json') };
  if (board.pcf) pnrFiles['board.pcf'] = files['board.pcf']!;
  const pnr = await nextpnr(
    [...NEXTPNR_DEVICE[device], '--json', 'design.json', ...(board.pcf ? ['--pcf', 'board.pcf'] : ['--pcf-allow-unconstrained']), '--asc', 'design.asc',
      '--freq', String(o.clockMhz), '--timing-allow-fail', '--seed', String(o.seed), '--report', 'report.json', '-q'],
    pnrFiles,
    (line) => {
      if (/^Info: (Placed|Routing|Max frequency)|ERROR/.test(line)) progress(line.replace(/^Info: /, 'nextpnr: '));
    },
  ).catch((err: Error) => {
    const needed = /of (\d+) ICESTORM_LCs/.exec(err.message);
    if (needed) throw new DoesNotFit(device, o.engines, Number(needed[1]), cellsAvailable);
    throw err;
  });
  const report = JSON.parse(fileText(pnr.files, 'report.json')) as {
    fmax: Record<string, { achieved: number; constraint: number }>;
    utilization: Record<string, { available: number; used: number }>;
    critical_paths?: { from: string; to: string; path: { type: string; delay: number; from: { cell: string }; to: { cell: string } }[] }[];
  };

  progress('icepack: bitstream');
  const packed = await icepack(['design.asc', 'design.bin'], { 'design.asc': fileBytes(pnr.files, 'design.asc') });

  const clocks = Object.entries(report.fmax).filter(([name]) => !/12m/i.test(name));
  const hashing = clocks.find(([name]) => /(^|\W)clk$/.test(name)) ?? clocks.sort((a, b) => a[1].achieved - b[1].achieved)[0];
  if (!hashing) throw new Error('nextpnr reported no clock');
  const fmaxMhz = hashing[1].achieved;
  const cyclesPerNonce = rtlCyclesPerNonce();
  const util = (k: string) => report.utilization[k] ?? { used: 0, available: 0 };
  return {
    device,
    board: o.board,
    link: board.link === 'uart' ? { kind: 'uart', baud: o.baud ?? UART_DEFAULT_BAUD } : { kind: 'spi' },
    engines: o.engines,
    seed: o.seed,
    logicCells: util('ICESTORM_LC'),
    lut4: count(stat, /SB_LUT4/),
    dff: count(stat, /SB_DFF\w*/),
    carry: count(stat, /SB_CARRY/),
    bram: util('ICESTORM_RAM'),
    dsp: util('ICESTORM_DSP').used,
    fmaxMhz,
    requestedClockMhz: o.clockMhz,
    timingMet: fmaxMhz >= o.clockMhz,
    cyclesPerNonce,
    hashRate: (o.engines * fmaxMhz * 1e6) / cyclesPerNonce,
    builtHashRate: fmaxMhz >= o.clockMhz ? (o.engines * o.clockMhz * 1e6) / cyclesPerNonce : null,
    criticalPath: criticalPath(report.critical_paths),
    bitstream: fileBytes(packed.files, 'design.bin'),
    seconds: (Date.now() - t0) / 1000,
  };
}
