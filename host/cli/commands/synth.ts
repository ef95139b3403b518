/**
 * `kilohash synth` — synthesises the core for a board with yosys + nextpnr-ice40 from npm and
 * prints what a hardware developer needs: cells used, the clock nextpnr closes, cycles per
 * nonce, engines and the resulting hash rate; writes the bitstream to flash.
 */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SynthReport } from '../../rtl/synth/synthesize.ts';
import { BOARD_NAMES, BOARDS, DEVICE_BOARD, DEVICES, type BoardName, type Device } from '../../rtl/synth/devices.ts';
import { UART_DEFAULT_BAUD } from '../../../src/core/protocol.ts';
import { uartBaudProblem } from '../../../src/core/uart-framing.ts';
import { MAX_LANES } from '../../rtl/simulators.ts';
import { UsageError } from '../errors.ts';
import { intOption, positiveNumberOption } from '../options.ts';

type Summary = Omit<SynthReport, 'bitstream'> & { bitstream: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function describe(r: Summary): string {
  const mhs = (r.hashRate / 1e6).toFixed(3);
  return [
    `${r.device} (${BOARDS[r.board].describe}${r.link.kind === 'uart' ? ` at ${r.link.baud} baud` : ''}), ${r.engines} engine(s), seed ${r.seed}:`,
    `  logic cells  ${r.logicCells.used} / ${r.logicCells.available} (${((100 * r.logicCells.used) / r.logicCells.available).toFixed(0)} %)`,
    `  LUT4 ${r.lut4}, DFF ${r.dff}, carry ${r.carry}, BRAM ${r.bram.used} / ${r.bram.available}, DSP ${r.dsp}`,
    `  fmax         ${r.fmaxMhz.toFixed(2)} MHz (PLL set to ${r.requestedClockMhz} MHz${r.timingMet ? '' : ' — TIMING NOT MET: rebuild with --clock-mhz at or below fmax before flashing'})`,
    `  cycles/nonce ${r.cyclesPerNonce}`,
    ...(r.criticalPath ? [`  critical     ${r.criticalPath.delayNs} ns, ${r.criticalPath.cells} logic cells: ${r.criticalPath.from} → ${r.criticalPath.to}`] : []),
    `  hash rate    ${mhs} MH/s at fmax`,
    ...(r.builtHashRate === null ? [] : [`  as built     ${(r.builtHashRate / 1e6).toFixed(3)} MH/s at ${r.requestedClockMhz} MHz (raise --clock-mhz towards fmax for more)`]),
    `  bitstream    ${r.bitstream}  (${r.seconds.toFixed(0)} s)`,
  ].join('\n');
}

export function registerSynth(program: Command, print: (s: string) => void): void {
  program
    .command('synth')
    .description('synthesise the mining core for an iCE40 (yosys + nextpnr-ice40 from npm) and report its hash rate')
    .option('--board <board>', `the board the bitstream is for: ${BOARD_NAMES.map((b) => `${b} (${BOARDS[b].describe})`).join(', ')}; default: the device's`)
    .option('--device <device>', 'up5k (default: the ICE-V Wireless) or hx8k; implied by --board')
    .option('--engines <n>', `hashing engines (lanes); default: the most that fit the device (${DEVICES.map((d) => `${d} ${BOARDS[DEVICE_BOARD[d]].engines}`).join(', ')})`, intOption(1, MAX_LANES))
    .option('--baud <rate>', `a UART board's baud rate (default ${UART_DEFAULT_BAUD}); the core clock must be at least 8 times it, within 2 %`, intOption(300, 12_000_000))
    .option('--seed <s>', 'nextpnr placement seed', intOption(0, 2 ** 31 - 1), 1)
    .option('--seeds <list>', 'sweep several seeds (comma-separated) and report min/median/max')
    .option('--clock-mhz <f>', 'PLL / timing target for the hashing clock', positiveNumberOption, 24)
    .option('--out <dir>', 'where to write the bitstream', 'build/synth')
    .option('--json', 'print one JSON object')
    .action(async (opts: { board?: string; device?: string; engines?: number; baud?: number; seed: number; seeds?: string; clockMhz: number; out: string; json?: boolean }) => {
      const { board, device } = boardAndDevice(opts.board, opts.device);
      if (opts.baud !== undefined && BOARDS[board].link !== 'uart') throw new UsageError(`--baud is for a board on a UART (icebreaker); ${board} talks SPI`);
      const baud = BOARDS[board].link === 'uart' ? opts.baud ?? UART_DEFAULT_BAUD : undefined;
      if (baud !== undefined) {
        const problem = uartBaudProblem(Math.round(opts.clockMhz * 1e6), baud);
        if (problem) throw new UsageError(`--baud: ${problem}`);
      }
      const seeds = opts.seeds === undefined ? [opts.seed] : opts.seeds.split(',').map((s) => {
        const n = Number(s.trim());
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seeds: '${s}' is not a seed`);
        return n;
      });
      // The toolchains are large WebAssembly bundles: load them only when synthesising.
      const { synthesize } = await import('../../rtl/synth/synthesize.ts');
      const engines = opts.engines ?? BOARDS[board].engines;
      // The ICE-V's image keeps the device's name: the firmware build looks for kilohash-up5k-*.
      const outDir = resolve(opts.out);
      mkdirSync(outDir, { recursive: true });
      const started = Date.now();
      const results: Summary[] = [];
      for (const seed of seeds) {
        const report = await synthesize({
          board,
          engines,
          ...(baud !== undefined ? { baud } : {}),
          seed,
          clockMhz: opts.clockMhz,
          onProgress: (stage) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${stage}\n`),
        });
        const file = join(outDir, `kilohash-${board === DEVICE_BOARD[device] ? device : board}-e${engines}-s${seed}.bin`);
        writeFileSync(file, report.bitstream);
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

/** --board and --device, each implied by the other; a board on another device is refused. */
function boardAndDevice(boardFlag: string | undefined, deviceFlag: string | undefined): { board: BoardName; device: Device } {
  const device = DEVICES.find((d) => d === deviceFlag);
  if (deviceFlag !== undefined && device === undefined) throw new UsageError(`--device must be ${DEVICES.join(' or ')}, got '${deviceFlag}'`);
  const board = BOARD_NAMES.find((b) => b === boardFlag);
  if (boardFlag !== undefined && board === undefined) throw new UsageError(`--board must be one of ${BOARD_NAMES.join(', ')}, got '${boardFlag}'`);
  if (board === undefined) return { board: DEVICE_BOARD[device ?? 'up5k'], device: device ?? 'up5k' };
  if (device !== undefined && BOARDS[board].device !== device) throw new UsageError(`--board ${board} carries an ${BOARDS[board].device}, not an ${device}`);
  return { board, device: BOARDS[board].device };
}
