/**
 * The synthesis flow behind `kilohash synth`: the RTL for a board → yosys (synth_ice40 or
 * synth_ecp5, from npm) → nextpnr (place, route, timing: nextpnr-ice40 from npm, nextpnr-ecp5
 * from PyPI) → icepack / ecppack (bitstream), and the figures that matter: cells used, the
 * hashing clock nextpnr can close, cycles per nonce, and the hash rate.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UART_DEFAULT_BAUD } from '../../../src/core/protocol.ts';
import type { Pipeline } from '../pipeline.ts';
import { HDL_DIR, ICE40_DSP_DEFINE, rtlCyclesPerNonce } from '../simulators.ts';
import { BOARDS, describeCore, DEVICE_BOARD, DEVICE_FAMILY, type Board, type BoardName, type CoreBuild, type Device } from './devices.ts';
import { ecp5Tools, type Ecp5Tools } from './ecp5-tools.ts';
import { describeFloorplan, floorplanDesign, floorplanFor, type Floorplan, type FloorplanSummary } from './floorplan.ts';
import { fileBytes, fileText, icepack, icepll, nextpnr, yosys, type Tree } from './toolchain.ts';

export type { BoardName, Device } from './devices.ts';

/** The design needs more logic than the device has. */
export class DoesNotFit extends Error {
  constructor(
    readonly device: Device,
    readonly core: CoreBuild,
    readonly needed: number,
    readonly available: number,
    readonly unit: string,
  ) {
    super(`the ${describeCore(core)} needs ${needed} ${unit}; the ${device} has ${available}. ${core.kind === 'lanes' ? 'Use fewer engines.' : 'Use a larger --loop (each stage reused more often) or fewer --stages.'}`);
  }
}

/** nextpnr could not close timing at the clock the PLL is set to: no bitstream is written. */
export class TimingMissed extends Error {
  constructor(
    readonly fmaxMhz: number,
    readonly requestedClockMhz: number,
    readonly criticalPath: SynthReport['criticalPath'],
  ) {
    const path = criticalPath ? ` The slowest path: ${criticalPath.delayNs} ns, ${criticalPath.cells} logic cells, ${criticalPath.from} → ${criticalPath.to}.` : '';
    super(`timing not met: the hashing clock closes at ${fmaxMhz.toFixed(2)} MHz, below the ${requestedClockMhz} MHz the PLL would be set to. No bitstream was written; run again with --clock-mhz ${Math.floor(fmaxMhz)} or less (or another --seed).${path}`);
  }
}

export interface SynthOptions {
  board: BoardName;
  device: Device;
  core: CoreBuild;
  /** A UART board's baud rate (the bit time is the clock / this, rounded). */
  baud?: number;
  seed: number;
  /** The clock the PLL is set to (and nextpnr is asked to meet), MHz. */
  clockMhz: number;
  /**
   * Lay the pipeline's stages out in order before placing (host/rtl/synth/floorplan.ts), on
   * the parts that have a floorplan, at `LOOP` 1 (default true).
   */
  floorplan?: boolean;
  onProgress?: (stage: string) => void;
}

export interface SynthReport {
  device: Device;
  board: BoardName;
  /** How the host reaches the core; a UART board's baud rate. */
  link: { kind: 'spi' } | { kind: 'uart'; baud: number };
  /** Lanes (iCE40); 1 for the pipelined core. */
  engines: number;
  /** The pipelined core's shape, or null for lanes. */
  pipeline: Pipeline | null;
  seed: number;
  /** iCE40 logic cells, or ECP5 LUT4-sized cells (TRELLIS_COMB: LUTs, carry halves, RAM). */
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
  /** Nonces the core starts each clock: engines / cycles per nonce. */
  noncesPerClock: number;
  /** engines × fmax / cycles per nonce. */
  hashRate: number;
  /**
   * What the bitstream hashes as built: engines × the requested clock (the PLL's, on a board
   * with one) / cycles per nonce; null when timing is not met at that clock.
   */
  builtHashRate: number | null;
  /** The slowest path nextpnr found: the cells it starts and ends at, and its logic depth. */
  criticalPath: { from: string; to: string; delayNs: number; cells: number } | null;
  /** The stages' floorplan, where the build had one: strips, stages laid out, flip-flops pinned. */
  floorplan: FloorplanSummary | null;
  bitstream: Uint8Array;
  seconds: number;
}

export const NEXTPNR_DEVICE: Record<Device, string[]> = {
  up5k: ['--up5k', '--package', 'sg48'],
  hx8k: ['--hx8k', '--package', 'ct256'],
  // Every ULX3S part is in the CABGA381 package, speed grade 6.
  'ecp5-12f': ['--12k', '--package', 'CABGA381', '--speed', '6'],
  'ecp5-25f': ['--25k', '--package', 'CABGA381', '--speed', '6'],
  'ecp5-45f': ['--45k', '--package', 'CABGA381', '--speed', '6'],
  'ecp5-85f': ['--85k', '--package', 'CABGA381', '--speed', '6'],
};
/** Logic cells: iCE40 LCs, ECP5 LUT4s (= flip-flops). */
const CELLS: Record<Device, number> = { up5k: 5280, hx8k: 7680, 'ecp5-12f': 12_288, 'ecp5-25f': 24_288, 'ecp5-45f': 43_848, 'ecp5-85f': 83_640 };

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

/**
 * A cell type's count in yosys' `stat`. A design that keeps some hierarchy (the ECP5
 * pipeline's stages) is listed module by module and then as a whole: only the whole counts.
 */
export function count(stat: string, cell: RegExp): number {
  const whole = stat.lastIndexOf('=== design hierarchy ===');
  let n = 0;
  for (const m of stat.slice(Math.max(0, whole)).matchAll(new RegExp(`^\\s+(${cell.source})\\s+(\\d+)$`, 'gm'))) n += Number(m[2]);
  return n;
}

/** What every yosys build says: the part, and what to add to the script. */
interface YosysCommon {
  device: Device;
  /** Further synth_ice40 / synth_ecp5 options. */
  synthFlags?: string[];
  /** Further script lines after synthesis. */
  extra?: string[];
}

/** The core on a board (or bare, with `top: 'kh_top'`). */
export interface CoreYosysBuild extends YosysCommon {
  board: BoardName;
  core: CoreBuild;
  clockMhz: number;
  /** A UART board's baud rate (default: the top's). */
  baud?: number;
  /** The top to synthesise (default: the board's). */
  top?: string;
  /** The ULX3S's PLL dividers (ecppll's), as top parameters; default: the top's own. */
  ecp5Pll?: Ecp5Pll;
}

/** Another top (the stage bench): its own sources under hdl/ and its parameters. */
export interface TopYosysBuild extends YosysCommon {
  top: string;
  files: string[];
  parameters: Record<string, number>;
}

export type YosysBuild = CoreYosysBuild | TopYosysBuild;

/** What a build adds to hdl/: its top, sources, generated headers and parameters. */
interface OwnTop { top: string; files: string[]; headers: Tree; params: Record<string, number> }

/** A core build's top: its board's (or the one asked for), the board's sources, PLL header and parameters. */
async function coreTop(b: CoreYosysBuild): Promise<OwnTop> {
  const board: Board = BOARDS[b.board];
  const top = b.top ?? board.top;
  const headers: Tree = board.pll === 'ice40-12mhz' ? { 'kh_pll.vh': await pllHeader(b.clockMhz) } : {};
  const params: Record<string, number> = b.core.kind === 'lanes'
    ? { ENGINES: b.core.engines }
    : { ENGINES: 1, LOOP: b.core.pipeline.loop, ROUNDS: b.core.pipeline.rounds };
  params.CLOCK_HZ = Math.round(b.clockMhz * 1e6);
  if (top === board.top && board.link === 'uart' && b.baud !== undefined) params.BAUD = b.baud;
  if (top === board.top && b.ecp5Pll) {
    params.PLL_CLKI_DIV = b.ecp5Pll.clkiDiv;
    params.PLL_CLKFB_DIV = b.ecp5Pll.clkfbDiv;
    params.PLL_CLKOP_DIV = b.ecp5Pll.clkopDiv;
    params.PLL_CLKOP_CPHASE = b.ecp5Pll.clkopCphase;
  }
  return { top, files: board.files, headers, params };
}

/**
 * The sources and the yosys script of a build: what `kilohash synth` synthesises, and what
 * the netlist test simulates (host/rtl/synth/netlist.ts), from one place.
 */
export async function yosysInput(b: YosysBuild): Promise<Tree> {
  const family = DEVICE_FAMILY[b.device];
  const files: Tree = {};
  const sources: string[] = [];
  for (const name of readdirSync(HDL_DIR)) {
    if (name.endsWith('.v') || name.endsWith('.vh')) files[name] = readFileSync(join(HDL_DIR, name));
    if (name.endsWith('.v')) sources.push(name);
  }
  const own: OwnTop = 'files' in b ? { top: b.top, files: b.files, headers: {}, params: b.parameters } : await coreTop(b);
  for (const path of own.files) {
    const name = basename(path);
    files[name] = readFileSync(join(HDL_DIR, path));
    sources.push(name);
  }
  Object.assign(files, own.headers);
  const { top, params } = own;
  const chparam = Object.entries(params).map(([k, v]) => `-set ${k} ${v}`).join(' ');
  files['synth.ys'] = [
    // The UP5K's DSP blocks take adders (kh_add32); the HX8K and the ECP5 builds do not use them.
    `read_verilog -I. ${b.device === 'up5k' ? `-D${ICE40_DSP_DEFINE} ` : ''}${sources.join(' ')}`,
    `chparam ${chparam} ${top}`,
    // iCE40: no -dsp: the design has no multipliers, and yosys' ice40_dsp pass rewrites
    // hand-placed SB_MAC16 adders as if they were multipliers (two chained ones collapse into one).
    `${family === 'ice40' ? 'synth_ice40' : 'synth_ecp5'} ${[...(b.synthFlags ?? []), '-top', top, '-json', 'design.json'].join(' ')}`,
    'tee -o stat.txt stat',
    ...(b.extra ?? []),
  ].join('\n');
  return files;
}

/** EHXPLLL dividers for the ULX3S's 25 MHz oscillator, as ecppll computes them. */
export interface Ecp5Pll {
  clkiDiv: number;
  clkfbDiv: number;
  clkopDiv: number;
  clkopCphase: number;
  achievedMhz: number;
}

/** Reads ecppll's Verilog for its dividers (ecppll is the one that knows the PLL's limits). */
export function parseEcppll(verilog: string, report: string): Ecp5Pll {
  const field = (name: string) => {
    const m = new RegExp(`\\.${name}\\((\\d+)\\)`).exec(verilog);
    if (!m) throw new Error(`ecppll wrote no ${name}:\n${verilog}`);
    return Number(m[1]);
  };
  const achieved = /clkout0 frequency:\s*([\d.]+)\s*MHz/.exec(report);
  if (!achieved) throw new Error(`ecppll reported no output frequency:\n${report}`);
  return { clkiDiv: field('CLKI_DIV'), clkfbDiv: field('CLKFB_DIV'), clkopDiv: field('CLKOP_DIV'), clkopCphase: field('CLKOP_CPHASE'), achievedMhz: Number(achieved[1]) };
}

type PnrReport = {
  fmax: Record<string, { achieved: number; constraint: number }>;
  utilization: Record<string, { available: number; used: number }>;
  critical_paths?: { from: string; to: string; path: { type: string; delay: number; from: { cell: string }; to: { cell: string } }[] }[];
};

function coreFigures(core: CoreBuild): { engines: number; pipeline: Pipeline | null; cyclesPerNonce: number } {
  return core.kind === 'lanes'
    ? { engines: core.engines, pipeline: null, cyclesPerNonce: rtlCyclesPerNonce() }
    : { engines: 1, pipeline: core.pipeline, cyclesPerNonce: core.pipeline.loop };
}

export async function synthesize(o: SynthOptions): Promise<SynthReport> {
  return DEVICE_FAMILY[o.device] === 'ice40' ? synthesizeIce40(o) : synthesizeEcp5(o);
}

async function synthesizeIce40(o: SynthOptions): Promise<SynthReport> {
  const t0 = Date.now();
  const board = BOARDS[o.board];
  const device = o.device;
  const progress = o.onProgress ?? (() => undefined);
  const files = await yosysInput({ board: o.board, device, core: o.core, clockMhz: o.clockMhz, ...(o.baud !== undefined ? { baud: o.baud } : {}) });
  if (board.constraints) files['board.pcf'] = readFileSync(join(HDL_DIR, board.constraints));

  progress('yosys: synthesis');
  const syn = await yosys(['-q', '-s', 'synth.ys'], files);
  const stat = fileText(syn.files, 'stat.txt');

  progress('nextpnr-ice40: place and route (this takes minutes)');
  const cellsAvailable = CELLS[device];
  const pnrFiles: Tree = { 'design.json': fileBytes(syn.files, 'design.json') };
  if (board.constraints) pnrFiles['board.pcf'] = files['board.pcf']!;
  const pnr = await nextpnr(
    [...NEXTPNR_DEVICE[device], '--json', 'design.json', ...(board.constraints ? ['--pcf', 'board.pcf'] : ['--pcf-allow-unconstrained']), '--asc', 'design.asc',
      '--freq', String(o.clockMhz), '--timing-allow-fail', '--seed', String(o.seed), '--report', 'report.json', '-q'],
    pnrFiles,
    (line) => {
      if (/^Info: (Placed|Routing|Max frequency)|ERROR/.test(line)) progress(line.replace(/^Info: /, 'nextpnr: '));
    },
  ).catch((err: Error) => {
    const needed = /of (\d+) ICESTORM_LCs/.exec(err.message);
    if (needed) throw new DoesNotFit(device, o.core, Number(needed[1]), cellsAvailable, 'logic cells');
    throw err;
  });
  const report = JSON.parse(fileText(pnr.files, 'report.json')) as PnrReport;

  progress('icepack: bitstream');
  const packed = await icepack(['design.asc', 'design.bin'], { 'design.asc': fileBytes(pnr.files, 'design.asc') });

  const clocks = Object.entries(report.fmax).filter(([name]) => !/12m/i.test(name));
  const hashing = clocks.find(([name]) => /(^|\W)clk$/.test(name)) ?? clocks.sort((a, b) => a[1].achieved - b[1].achieved)[0];
  if (!hashing) throw new Error('nextpnr reported no clock');
  const fmaxMhz = hashing[1].achieved;
  const { engines, pipeline, cyclesPerNonce } = coreFigures(o.core);
  const util = (k: string) => report.utilization[k] ?? { used: 0, available: 0 };
  return {
    device,
    board: o.board,
    link: board.link === 'uart' ? { kind: 'uart', baud: o.baud ?? UART_DEFAULT_BAUD } : { kind: 'spi' },
    engines,
    pipeline,
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
    noncesPerClock: engines / cyclesPerNonce,
    hashRate: (engines * fmaxMhz * 1e6) / cyclesPerNonce,
    builtHashRate: fmaxMhz >= o.clockMhz ? (engines * o.clockMhz * 1e6) / cyclesPerNonce : null,
    criticalPath: criticalPath(report.critical_paths),
    floorplan: null,
    bitstream: fileBytes(packed.files, 'design.bin'),
    seconds: (Date.now() - t0) / 1000,
  };
}

/** What yosys alone says of an ECP5 build: `kilohash synth --synth-only`, and the fit check before place and route. */
export interface Ecp5Cells {
  device: Device;
  core: CoreBuild;
  lut4: number;
  carry: number;
  dff: number;
  /** LUT4-sized cells the design needs: LUT4s and two per CCU2C (a carry cell fills a slice's two LUTs). */
  logicCells: { used: number; available: number };
  bram: number;
  seconds: number;
}

/** The floorplan a build gets (floorplanFor), unless turned off. */
function floorplanOf(o: SynthOptions): Floorplan | undefined {
  return o.floorplan === false ? undefined : floorplanFor(o.device, o.core);
}

/** yosys for an ECP5 build; `toPlace`: the design goes on to nextpnr, floorplanned where the build has a floorplan. */
async function ecp5Yosys(o: SynthOptions, pll: Ecp5Pll | undefined, toPlace: boolean): Promise<{ cells: Ecp5Cells; design: Uint8Array; floorplan: SynthReport['floorplan'] }> {
  const t0 = Date.now();
  const progress = o.onProgress ?? (() => undefined);
  const plan = toPlace ? floorplanOf(o) : undefined;
  const files = await yosysInput({ board: o.board, device: o.device, core: o.core, clockMhz: o.clockMhz, ...(pll ? { ecp5Pll: pll } : {}) });
  progress('yosys: synthesis (synth_ecp5)');
  const syn = await yosys(['-q', '-s', 'synth.ys'], files);
  let design = fileBytes(syn.files, 'design.json');
  let floorplan: SynthReport['floorplan'] = null;
  if (plan) {
    ({ design, summary: floorplan } = floorplanDesign(fileText(syn.files, 'design.json'), BOARDS[o.board].top, plan));
    progress(describeFloorplan(floorplan));
  }
  const stat = fileText(syn.files, 'stat.txt');
  const lut4 = count(stat, /LUT4/);
  const carry = count(stat, /CCU2C/);
  const dpram = count(stat, /TRELLIS_DPR16X4/);
  return {
    cells: {
      device: o.device, core: o.core, lut4, carry, dff: count(stat, /TRELLIS_FF/),
      logicCells: { used: lut4 + 2 * carry + 2 * dpram, available: CELLS[o.device] },
      bram: count(stat, /DP16KD/),
      seconds: (Date.now() - t0) / 1000,
    },
    design,
    floorplan,
  };
}

/** Synthesis only: the cells an ECP5 build needs, without place and route (nor Python). */
export async function synthesizeEcp5Cells(o: SynthOptions): Promise<Ecp5Cells> {
  return (await ecp5Yosys(o, undefined, false)).cells;
}

/** How nextpnr-ecp5 is run: every place and route of an ECP5 design goes through here. */
export interface Ecp5PnrOptions {
  freq: number;
  seed: number;
  /**
   * The board's pins (`board.lpf` in the work folder), none (ports left where the placer
   * puts them), or out of context: no I/O buffers and no global clock buffers, the ports
   * stay ports (for simulating the routed netlist).
   */
  constraints: 'lpf' | 'none' | 'out-of-context';
  router: 'router1' | 'router2';
  /** Also write the textual configuration (design.config) that ecppack turns into the bitstream. */
  bitstream: boolean;
  /** Also write the routed design as nextpnr JSON to this file. */
  write?: string;
  onProgress?: (line: string) => void;
}

/**
 * nextpnr-ecp5 on `design.json` in `work`: its report and the hashing clock's fmax. Timing is
 * reported, never fatal, here.
 */
export async function ecp5PlaceAndRoute(tools: Ecp5Tools, work: string, device: Device, o: Ecp5PnrOptions): Promise<{ report: PnrReport; fmaxMhz: number }> {
  const constraints = {
    lpf: ['--lpf', 'board.lpf'],
    none: ['--lpf-allow-unconstrained'],
    'out-of-context': ['--lpf-allow-unconstrained', '--out-of-context'],
  }[o.constraints];
  const progress = o.onProgress ?? (() => undefined);
  await tools.run(
    'nextpnr_ecp5',
    [...NEXTPNR_DEVICE[device], '--json', 'design.json', ...constraints,
      ...(o.bitstream ? ['--textcfg', 'design.config'] : []), ...(o.write ? ['--write', o.write] : []),
      '--freq', String(o.freq), '--timing-allow-fail', '--seed', String(o.seed), '--report', 'report.json',
      '--router', o.router],
    work,
    (line) => {
      if (/^Info: (Running|HeAP Placer Time|Routing \d+ arcs|Routing complete|Router[12] time|\s+iter=\d+|Max frequency|\s+TRELLIS_(COMB|FF):)|ERROR/.test(line)) progress(line.replace(/^Info:\s+/, 'nextpnr: '));
      // router1 logs every 1000 iterations, about 700 lines on the 85F: say every 50th.
      const router1 = /^Info:\s+(\d+) \|\s+\d+\s+\d+ \|\s+\d+\s+\d+ \|\s+(\d+)\|/.exec(line);
      if (router1 && Number(router1[1]) % 50_000 === 0) progress(`nextpnr: router1: ${router1[1]} iterations, ${router1[2]} arcs still to route`);
    },
  );
  const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as PnrReport;
  // The hashing clock is the PLL's output; the 25 MHz input only feeds the PLL.
  const clocks = Object.entries(report.fmax).filter(([name]) => !/clk_25mhz/i.test(name));
  const hashing = clocks.sort((a, b) => a[1].achieved - b[1].achieved)[0];
  if (!hashing) throw new Error('nextpnr-ecp5 reported no clock');
  return { report, fmaxMhz: hashing[1].achieved };
}

async function synthesizeEcp5(o: SynthOptions): Promise<SynthReport> {
  const t0 = Date.now();
  const board = BOARDS[o.board];
  const progress = o.onProgress ?? (() => undefined);
  const tools = await ecp5Tools(progress);
  const work = mkdtempSync(join(tmpdir(), 'kh-ecp5-'));
  try {
    let pll: Ecp5Pll | undefined;
    if (board.pll === 'ecp5-25mhz') {
      const out = await tools.run('ecppll', ['-i', '25', '-o', String(o.clockMhz), '-f', 'pll.v'], work);
      pll = parseEcppll(readFileSync(join(work, 'pll.v'), 'utf8'), out);
    }
    const { cells, design, floorplan } = await ecp5Yosys(o, pll, true);
    // The fit is known before place and route; nextpnr would take minutes to say the same.
    if (cells.logicCells.used > cells.logicCells.available) throw new DoesNotFit(o.device, o.core, cells.logicCells.used, cells.logicCells.available, 'LUT4-sized cells');
    if (cells.dff > CELLS[o.device]) throw new DoesNotFit(o.device, o.core, cells.dff, CELLS[o.device], 'flip-flops');
    writeFileSync(join(work, 'design.json'), design);
    if (board.constraints) writeFileSync(join(work, 'board.lpf'), readFileSync(join(HDL_DIR, board.constraints)));

    progress('nextpnr-ecp5: place and route (minutes; the 85F\'s full pipeline, about an hour and a half)');
    const freq = pll?.achievedMhz ?? o.clockMhz;
    const { report, fmaxMhz } = await ecp5PlaceAndRoute(tools, work, o.device, {
      freq, seed: o.seed, constraints: board.constraints !== undefined ? 'lpf' : 'none', bitstream: true, onProgress: progress,
      // The floorplanned 85F: router1 routed it (57.28 MHz at 50, 70 minutes), where router2
      // stalled at 26 k overused wires. Elsewhere router2, which the other parts' figures were
      // measured with.
      router: floorplan ? 'router1' : 'router2',
    });
    if (fmaxMhz < freq) throw new TimingMissed(fmaxMhz, freq, criticalPath(report.critical_paths));

    progress('ecppack: bitstream');
    await tools.run('ecppack', ['--compress', 'design.config', 'design.bit'], work);
    const { engines, pipeline, cyclesPerNonce } = coreFigures(o.core);
    const util = (k: string) => report.utilization[k] ?? { used: 0, available: 0 };
    return {
      device: o.device,
      board: o.board,
      link: { kind: 'spi' },
      engines,
      pipeline,
      seed: o.seed,
      // Against the datasheet's LUT count: nextpnr offers the 12F the whole 25F die it is cut from.
      logicCells: { used: util('TRELLIS_COMB').used, available: CELLS[o.device] },
      lut4: cells.lut4,
      dff: cells.dff,
      carry: cells.carry,
      bram: util('DP16KD'),
      dsp: util('MULT18X18D').used,
      fmaxMhz,
      requestedClockMhz: freq,
      timingMet: true,
      cyclesPerNonce,
      noncesPerClock: engines / cyclesPerNonce,
      hashRate: (engines * fmaxMhz * 1e6) / cyclesPerNonce,
      builtHashRate: (engines * freq * 1e6) / cyclesPerNonce,
      criticalPath: criticalPath(report.critical_paths),
      floorplan,
      bitstream: new Uint8Array(readFileSync(join(work, 'design.bit'))),
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `kilohash synth --stage-bench`: the pipelined core's stages alone, for their clock. */
export interface StageBenchOptions {
  device: Device;
  pipeline: Pipeline;
  /** Stages in the chain. */
  stages: number;
  seed: number;
  onProgress?: (stage: string) => void;
}

export interface StageBenchReport {
  device: Device;
  pipeline: Pipeline;
  stages: number;
  seed: number;
  /** What the chain takes: LUT4-sized cells and flip-flops, nextpnr's count. */
  logicCells: number;
  dff: number;
  /** The stage-to-stage clock nextpnr closes: the most the pipeline's own path allows. */
  fmaxMhz: number;
  criticalPath: SynthReport['criticalPath'];
  seconds: number;
}

/**
 * Places and routes `stages` stages of the pipeline (hdl/bench/kh_stage_bench.v) on an empty
 * part: its stage-to-stage fmax in minutes, where the 85F's whole core takes hours. A full
 * part routes worse than an empty one, so the whole build comes out slower than its bench.
 */
export async function benchStages(o: StageBenchOptions): Promise<StageBenchReport> {
  const t0 = Date.now();
  if (DEVICE_FAMILY[o.device] !== 'ecp5') throw new Error(`the stage bench is for the ECP5 parts, not ${o.device}`);
  const progress = o.onProgress ?? (() => undefined);
  const tools = await ecp5Tools(progress);
  const work = mkdtempSync(join(tmpdir(), 'kh-bench-'));
  try {
    const files = await yosysInput({
      device: o.device, top: 'kh_stage_bench', files: ['bench/kh_stage_bench.v'],
      parameters: { N: o.stages, LOOP: o.pipeline.loop, ROUNDS: o.pipeline.rounds },
    });
    progress(`yosys: ${o.stages} stage${o.stages === 1 ? '' : 's'} (synth_ecp5)`);
    const syn = await yosys(['-q', '-s', 'synth.ys'], files);
    writeFileSync(join(work, 'design.json'), fileBytes(syn.files, 'design.json'));
    progress('nextpnr-ecp5: place and route');
    // Asked for more than any stage has reached, so the placer and router work for speed throughout.
    const { report, fmaxMhz } = await ecp5PlaceAndRoute(tools, work, o.device, {
      freq: 100, seed: o.seed, constraints: 'none', bitstream: false, onProgress: progress,
      // router1: a few stages on an empty part route in a minute or two; router2 had not finished
      // one bench after ten minutes.
      router: 'router1',
    });
    return {
      device: o.device, pipeline: o.pipeline, stages: o.stages, seed: o.seed,
      logicCells: report.utilization.TRELLIS_COMB?.used ?? 0,
      dff: report.utilization.TRELLIS_FF?.used ?? 0,
      fmaxMhz,
      criticalPath: criticalPath(report.critical_paths),
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
