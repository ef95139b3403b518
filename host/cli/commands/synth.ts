/**
 * `kilohash synth` — synthesises the core for a board and prints what a hardware developer
 * needs: cells used, the clock nextpnr closes, nonces per clock and the resulting hash rate;
 * writes the bitstream to flash. iCE40: yosys + nextpnr-ice40, all from npm. ECP5: yosys from
 * npm, nextpnr-ecp5 + ecppack from PyPI (installed on first use; host/rtl/synth/ecp5-tools.ts).
 */
import type { Command } from 'commander';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Ecp5Cells, StageBenchReport, SynthReport } from '../../rtl/synth/synthesize.ts';
import { BOARD_NAMES, BOARDS, describeCore, DEVICE_BOARD, DEVICE_DEFAULTS, DEVICE_FAMILY, DEVICES, type BoardName, type CoreBuild, type Device } from '../../rtl/synth/devices.ts';
import { describePipeline, pipelineStages } from '../../rtl/pipeline.ts';
import { UART_DEFAULT_BAUD } from '../../../src/core/protocol.ts';
import { uartBaudProblem } from '../../../src/core/uart-framing.ts';
import { MAX_LANES } from '../../rtl/simulators.ts';
import { UsageError } from '../errors.ts';
import { intOption, loopOption, pipelineFlags, positiveNumberOption, STAGES_HELP } from '../options.ts';
import { FLOORPLANS, floorplanFor } from '../../rtl/synth/floorplan.ts';

type Summary = Omit<SynthReport, 'bitstream'> & { bitstream: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function describe(r: Summary): string {
  const mhs = (r.hashRate / 1e6).toFixed(3);
  const unit = DEVICE_FAMILY[r.device] === 'ecp5' ? 'LUT4 cells' : 'logic cells';
  return [
    `${r.device} (${BOARDS[r.board].describe}${r.link.kind === 'uart' ? ` at ${r.link.baud} baud` : ''}), ${describeCore(r.pipeline ? { kind: 'pipeline', pipeline: r.pipeline } : { kind: 'lanes', engines: r.engines })}, seed ${r.seed}:`,
    `  ${unit.padEnd(12)} ${r.logicCells.used} / ${r.logicCells.available} (${((100 * r.logicCells.used) / r.logicCells.available).toFixed(0)} %)`,
    `  LUT4 ${r.lut4}, DFF ${r.dff}, carry ${r.carry}, BRAM ${r.bram.used} / ${r.bram.available}, DSP ${r.dsp}`,
    `  fmax         ${r.fmaxMhz.toFixed(2)} MHz (PLL set to ${r.requestedClockMhz} MHz${r.timingMet ? '' : ' — TIMING NOT MET: rebuild with --clock-mhz at or below fmax before flashing'})`,
    `  nonces/clock ${Number(r.noncesPerClock.toPrecision(3))} (${r.cyclesPerNonce} cycles a nonce per engine)`,
    ...(r.criticalPath ? [`  critical     ${r.criticalPath.delayNs} ns, ${r.criticalPath.cells} logic cells: ${r.criticalPath.from} → ${r.criticalPath.to}`] : []),
    ...(r.floorplan ? [`  floorplan    ${r.floorplan.stages} stages in order in ${r.floorplan.strips} strips (${r.floorplan.pinned} flip-flops pinned)`] : []),
    `  hash rate    ${mhs} MH/s at fmax`,
    ...(r.builtHashRate === null ? [] : [`  as built     ${(r.builtHashRate / 1e6).toFixed(3)} MH/s at ${r.requestedClockMhz} MHz${r.builtHashRate < r.hashRate * 0.95 ? ' (raise --clock-mhz towards fmax for more)' : ''}`]),
    `  bitstream    ${r.bitstream}  (${r.seconds.toFixed(0)} s)`,
  ].join('\n');
}

function describeCells(c: Ecp5Cells): string {
  const pct = ((100 * c.logicCells.used) / c.logicCells.available).toFixed(0);
  return [
    `${c.device}, ${describeCore(c.core)}: synthesis only (no place and route, no bitstream)`,
    `  LUT4 cells   ${c.logicCells.used} / ${c.logicCells.available} (${pct} %)${c.logicCells.used > c.logicCells.available ? ' — DOES NOT FIT' : ''}`,
    `  LUT4 ${c.lut4}, DFF ${c.dff}, carry ${c.carry}, BRAM ${c.bram}`,
    `  yosys        ${c.seconds.toFixed(0)} s`,
  ].join('\n');
}

function describeBench(b: StageBenchReport): string {
  return [
    `${b.device}, stage bench: ${b.stages} stage${b.stages === 1 ? '' : 's'} of the pipelined core (${describePipeline(b.pipeline)}), seed ${b.seed}:`,
    `  cells        ${b.logicCells} LUT4 cells, ${b.dff} DFF`,
    `  fmax         ${b.fmaxMhz.toFixed(2)} MHz stage to stage (the whole core routes slower: its part is fuller)`,
    ...(b.criticalPath ? [`  critical     ${b.criticalPath.delayNs} ns, ${b.criticalPath.cells} logic cells: ${b.criticalPath.from} → ${b.criticalPath.to}`] : []),
    `  time         ${b.seconds.toFixed(0)} s`,
  ].join('\n');
}

interface SynthFlags {
  board?: string;
  device?: string;
  engines?: number;
  loop?: number;
  stages?: number;
  baud?: number;
  seed: number;
  seeds?: string;
  stageBench?: number;
  clockMhz?: number;
  out: string;
  synthOnly?: boolean;
  /** false with --no-floorplan. */
  floorplan: boolean;
  json?: boolean;
}

export function registerSynth(program: Command, print: (s: string) => void): void {
  const defaults = (kind: CoreBuild['kind']) => DEVICES.flatMap((d) => {
    const c = DEVICE_DEFAULTS[d].core;
    if (c.kind !== kind) return [];
    return [`${d} ${c.kind === 'lanes' ? c.engines : `loop ${c.pipeline.loop}, ${pipelineStages(c.pipeline)} stages`}`];
  }).join('; ');
  program
    .command('synth')
    .description('synthesise, place and route the mining core for an iCE40 or ECP5 board and report its hash rate')
    .option('--board <board>', `the board the bitstream is for: ${BOARD_NAMES.map((b) => `${b} (${BOARDS[b].describe})`).join(', ')}; default: the device's`)
    .option('--device <device>', `${DEVICES.join(', ')} (default up5k: the ICE-V Wireless; ecp5-*: the ULX3S); implied by --board`)
    .option('--engines <n>', `iCE40: hashing lanes; default: the most that fit (${defaults('lanes')})`, intOption(1, MAX_LANES))
    .option('--loop <n>', `ECP5: the pipelined core takes a nonce every n clocks (1, 2, 4 … 64); default: the largest build that fits and meets timing (${defaults('pipeline')})`, loopOption)
    .option('--stages <n>', `ECP5: ${STAGES_HELP.replace(/^RTL: /, '')}`, intOption(1, 64))
    .option('--baud <rate>', `a UART board's baud rate (default ${UART_DEFAULT_BAUD}); the core clock must be at least 8 times it, within 2 %`, intOption(300, 12_000_000))
    .option('--seed <s>', 'nextpnr placement seed', intOption(0, 2 ** 31 - 1), 1)
    .option('--seeds <list>', 'sweep several seeds (comma-separated) and report min/median/max')
    .option('--clock-mhz <f>', `PLL / timing target for the hashing clock (default: the device's, ${DEVICES.map((d) => `${d} ${DEVICE_DEFAULTS[d].clockMhz}`).join(', ')})`, positiveNumberOption)
    .option('--out <dir>', 'where to write the bitstream', 'build/synth')
    .option('--stage-bench <n>', 'ECP5: place and route n stages of the pipeline (--loop, --stages) alone on the part and report their clock: minutes, not hours (no bitstream)', intOption(1, 64))
    .option('--synth-only', 'ECP5: stop after yosys and report the cells (no Python, no place and route, no bitstream)')
    .option('--no-floorplan', `ECP5-85F at --loop 1: leave the pipeline's stages to the placer instead of laying them out in order (for comparison)`)
    .option('--json', 'print one JSON object')
    .action(async (opts: SynthFlags, command: Command) => {
      const { board, device } = boardAndDevice(opts.board, opts.device);
      const family = DEVICE_FAMILY[device];
      if (opts.baud !== undefined && BOARDS[board].link !== 'uart') throw new UsageError(`--baud is for a board on a UART (icebreaker); ${board} talks SPI`);
      if (opts.synthOnly && family !== 'ecp5') throw new UsageError('--synth-only is for the ECP5 builds (an iCE40 build places and routes in a minute)');
      if (opts.stageBench !== undefined && family !== 'ecp5') throw new UsageError('--stage-bench measures the ECP5\'s pipelined core; the iCE40 builds place and route whole in a minute');
      if (opts.stageBench !== undefined && (opts.synthOnly || opts.seeds !== undefined)) throw new UsageError('--stage-bench places and routes one bench (one --seed); it goes with neither --synth-only nor --seeds');
      if (opts.stageBench !== undefined && opts.clockMhz !== undefined) throw new UsageError('--stage-bench asks nextpnr for more than any stage reaches (100 MHz) and reports what it closes; --clock-mhz is for a whole build');
      if ((opts.stageBench !== undefined || opts.synthOnly) && command.getOptionValueSource('out') === 'cli') {
        throw new UsageError(`--out is where the bitstream goes; ${opts.synthOnly ? '--synth-only' : '--stage-bench'} writes none`);
      }
      const core = coreFor(device, opts);
      if (command.getOptionValueSource('floorplan') === 'cli') {
        if (opts.synthOnly || opts.stageBench !== undefined) throw new UsageError(`--no-floorplan is for placing a whole build; ${opts.synthOnly ? '--synth-only places nothing' : '--stage-bench places a few stages on their own'}`);
        if (!floorplanFor(device, core)) throw new UsageError(`--no-floorplan: the ${device} build${core.kind === 'pipeline' ? ` at --loop ${core.pipeline.loop}` : ''} has no floorplan to leave out (only ${Object.keys(FLOORPLANS).join(', ')} at --loop 1)`);
      }
      const clockMhz = opts.clockMhz ?? DEVICE_DEFAULTS[device].clockMhz;
      const baud = BOARDS[board].link === 'uart' ? opts.baud ?? UART_DEFAULT_BAUD : undefined;
      if (baud !== undefined) {
        const problem = uartBaudProblem(Math.round(clockMhz * 1e6), baud);
        if (problem) throw new UsageError(`--baud: ${problem}`);
      }
      const seeds = opts.seeds === undefined ? [opts.seed] : opts.seeds.split(',').map((s) => {
        const n = Number(s.trim());
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seeds: '${s}' is not a seed`);
        return n;
      });
      // The toolchains are large WebAssembly bundles: load them only when synthesising.
      const { benchStages, synthesize, synthesizeEcp5Cells } = await import('../../rtl/synth/synthesize.ts');
      const started = Date.now();
      const onProgress = (stage: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${stage}\n`);
      if (opts.stageBench !== undefined) {
        if (core.kind !== 'pipeline') throw new Error('unreachable: an ECP5 core is a pipeline');
        const bench = await benchStages({ device, pipeline: core.pipeline, stages: opts.stageBench, seed: opts.seed, onProgress });
        print(opts.json ? JSON.stringify(bench) : describeBench(bench));
        return;
      }
      if (opts.synthOnly) {
        const cells = await synthesizeEcp5Cells({ board, device, core, seed: opts.seed, clockMhz, onProgress });
        print(opts.json ? JSON.stringify(cells) : describeCells(cells));
        return;
      }
      const outDir = resolve(opts.out);
      mkdirSync(outDir, { recursive: true });
      const results: Summary[] = [];
      for (const seed of seeds) {
        const report = await synthesize({ board, device, core, ...(baud !== undefined ? { baud } : {}), seed, clockMhz, floorplan: opts.floorplan, onProgress });
        const file = join(outDir, bitstreamName(board, device, core, seed));
        // Written aside and renamed: a bitstream under its own name is always a whole one.
        const part = `${file}.part`;
        writeFileSync(part, report.bitstream);
        renameSync(part, file);
        const { bitstream: _bits, ...rest } = report;
        results.push({ ...rest, bitstream: file });
        if (!opts.json) print(describe(results.at(-1)!));
      }
      const rates = results.map((r) => r.hashRate);
      const sweep = results.length > 1
        ? { seeds, hashRate: { min: Math.min(...rates), median: median(rates), max: Math.max(...rates) }, fmaxMhz: { min: Math.min(...results.map((r) => r.fmaxMhz)), median: median(results.map((r) => r.fmaxMhz)), max: Math.max(...results.map((r) => r.fmaxMhz)) } }
        : null;
      if (opts.json) print(JSON.stringify(sweep ? { ...sweep, runs: results } : results[0]));
      else if (sweep) print(`sweep over ${seeds.length} seeds: hash rate min ${(sweep.hashRate.min / 1e6).toFixed(3)} / median ${(sweep.hashRate.median / 1e6).toFixed(3)} / max ${(sweep.hashRate.max / 1e6).toFixed(3)} MH/s`);
    });
}

/** The core for a device: lanes on an iCE40, the pipeline on an ECP5, from the flags or the device's default. */
function coreFor(device: Device, opts: SynthFlags): CoreBuild {
  const base = DEVICE_DEFAULTS[device].core;
  if (base.kind === 'lanes') {
    if (opts.loop !== undefined || opts.stages !== undefined) throw new UsageError(`--loop and --stages shape the ECP5's pipelined core; the ${device} gets lanes (--engines)`);
    return { kind: 'lanes', engines: opts.engines ?? base.engines };
  }
  if (opts.engines !== undefined) throw new UsageError(`--engines counts an iCE40's lanes; the ${device} gets the pipelined core (--loop, --stages)`);
  return { kind: 'pipeline', pipeline: pipelineFlags(opts.loop, opts.stages, base.pipeline)! };
}

function bitstreamName(board: BoardName, device: Device, core: CoreBuild, seed: number): string {
  if (core.kind === 'pipeline') return `kilohash-${device}-l${core.pipeline.loop}r${core.pipeline.rounds}-s${seed}.bit`;
  // The ICE-V's image keeps the device's name: the firmware build looks for kilohash-up5k-*.
  return `kilohash-${board === DEVICE_BOARD[device] ? device : board}-e${core.engines}-s${seed}.bin`;
}

/** --board and --device, each implied by the other; a board on another device is refused. */
function boardAndDevice(boardFlag: string | undefined, deviceFlag: string | undefined): { board: BoardName; device: Device } {
  const device = DEVICES.find((d) => d === deviceFlag);
  if (deviceFlag !== undefined && device === undefined) throw new UsageError(`--device must be one of ${DEVICES.join(', ')}, got '${deviceFlag}'`);
  const board = BOARD_NAMES.find((b) => b === boardFlag);
  if (boardFlag !== undefined && board === undefined) throw new UsageError(`--board must be one of ${BOARD_NAMES.join(', ')}, got '${boardFlag}'`);
  if (board === undefined) return { board: DEVICE_BOARD[device ?? 'up5k'], device: device ?? 'up5k' };
  const carried = BOARDS[board].devices;
  if (device !== undefined && !carried.includes(device)) throw new UsageError(`--board ${board} carries ${carried.length === 1 ? `an ${carried[0]}` : carried.join(', ')}, not an ${device}`);
  return { board, device: device ?? carried[0]! };
}
