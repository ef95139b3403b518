/**
 * `kilohash bench` — speed figures, always as ratios measured side by side in one run, because
 * this machine is shared and absolute numbers drift from run to run.
 */
import type { Command } from 'commander';
import { hexToBytes } from '../../../src/work/bytes.ts';
import { measureSideBySide } from '../../bench/side-by-side.ts';
import { modelScannerContender, nodeCryptoContender, workHasherContender } from '../../bench/sha256d.ts';
import { type CosimFigure, type ModelThreadsFigure, cosimRate, cpuCount, modelRate } from '../../bench/cores.ts';
import type { Simulator } from '../../rtl/simulators.ts';
import type { XsFigure } from '../../bench/xs.ts';
import { firmwareMemory, type FirmwareMemoryFigure } from '../../bench/firmware-memory.ts';
import { positiveNumberOption } from '../options.ts';

/** Block 125552's header: a real header, so the bench hashes realistic data. */
const BENCH_HEADER =
  '01000000' +
  '81cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000' +
  'e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122b' +
  'c7f5d74d' +
  'f2b9441a' +
  '42a14695';

export interface BenchReport {
  seconds: number;
  sha256d: {
    work: { noncesPerSecond: number; nonces: number };
    model: { noncesPerSecond: number; nonces: number };
    nodeCrypto: { noncesPerSecond: number; nonces: number };
    /** src/work rate divided by node:crypto's. */
    ratio: number;
    /** The model scanner's rate divided by node:crypto's. */
    modelRatio: number;
  };
  /** The model core through the driver: one thread, then one worker per CPU. */
  modelCore?: { single: ModelThreadsFigure; threaded: ModelThreadsFigure; scaling: number };
  /** RTL co-simulation: simulated clock cycles per second. */
  cosim?: Array<CosimFigure | { simulator: Simulator; skipped: string }>;
  /** The firmware's miner on real XS (xsnap): computrons per clean job, heap. */
  xs?: XsFigure;
  /** The firmware on Moddable's runtime (lin, mcsim): its JS heap through mining, a clean job, a reconnect. */
  firmwareMemory?: FirmwareMemoryFigure;
}

export function runHashBench(seconds: number): BenchReport['sha256d'] {
  const header = hexToBytes(BENCH_HEADER, 'header', 80);
  const [work, model, native] = measureSideBySide(
    [workHasherContender(header), modelScannerContender(header), nodeCryptoContender(header)],
    seconds,
  );
  return {
    work: { noncesPerSecond: work!.noncesPerSecond, nonces: work!.nonces },
    model: { noncesPerSecond: model!.noncesPerSecond, nonces: model!.nonces },
    nodeCrypto: { noncesPerSecond: native!.noncesPerSecond, nonces: native!.nonces },
    ratio: work!.noncesPerSecond / native!.noncesPerSecond,
    modelRatio: model!.noncesPerSecond / native!.noncesPerSecond,
  };
}

export async function runBench(seconds: number, cores: boolean): Promise<BenchReport> {
  const report: BenchReport = { seconds, sha256d: runHashBench(seconds) };
  if (!cores) return report;
  const single = await modelRate(1, seconds);
  const threaded = await modelRate(Math.max(2, cpuCount()), seconds);
  report.modelCore = { single, threaded, scaling: threaded.noncesPerSecond / single.noncesPerSecond };
  report.cosim = [await cosimRate('verilator', seconds), await cosimRate('icarus', Math.min(seconds, 2))];
  // Loaded last and only here: xsnap's host side locks down this process's intrinsics (SES),
  // which would slow every figure measured after it.
  const { xsCost } = await import('../../bench/xs.ts');
  report.xs = await xsCost(Math.min(seconds, 3));
  return report;
}

function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(3)} MH/s` : `${(n / 1e3).toFixed(1)} kH/s`;
}

export function registerBench(program: Command, print: (s: string) => void): void {
  program
    .command('bench')
    .description('measure hash rates side by side (src/work, the model core, node:crypto) and the co-simulation speed')
    .option('--seconds <s>', 'how long to measure each figure', positiveNumberOption, 3)
    .option('--no-cores', 'only the side-by-side SHA-256d figures (skip the model threads and co-simulation)')
    .option('--moddable', 'also the firmware\'s memory on Moddable\'s runtime (needs MODDABLE: docs/firmware.md)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { seconds: number; cores: boolean; moddable?: boolean; json?: boolean }) => {
      const report = await runBench(opts.seconds, opts.cores);
      if (opts.moddable) report.firmwareMemory = await firmwareMemory(Math.max(5, Math.round(opts.seconds * 3)));
      if (opts.json) {
        print(JSON.stringify(report));
        return;
      }
      const s = report.sha256d;
      const lines = [
        `SHA-256d per nonce, measured side by side for ${report.seconds} s:`,
        `  src/work (midstate reuse)     ${rate(s.work.noncesPerSecond)}   ${s.ratio.toFixed(2)}× node:crypto`,
        `  model scanner (unrolled)      ${rate(s.model.noncesPerSecond)}   ${s.modelRatio.toFixed(2)}× node:crypto`,
        `  node:crypto (OpenSSL)         ${rate(s.nodeCrypto.noncesPerSecond)}`,
      ];
      if (report.modelCore) {
        const m = report.modelCore;
        lines.push(
          'Model core through the driver:',
          `  1 thread                      ${rate(m.single.noncesPerSecond)}`,
          `  ${m.threaded.engines} worker threads              ${rate(m.threaded.noncesPerSecond)}   ${m.scaling.toFixed(2)}× one thread`,
        );
      }
      for (const c of report.cosim ?? []) {
        lines.push('skipped' in c
          ? `Co-simulation (${c.simulator}): skipped, ${c.skipped}`
          : `Co-simulation (${c.simulator}, ${c.engines} engine): ${(c.cyclesPerSecond / 1e6).toFixed(3)} M simulated cycles/s`);
      }
      if (report.xs) {
        const x = report.xs;
        lines.push(
          'Firmware on XS (xsnap, computrons are deterministic):',
          `  clean job → core              ${Math.round(x.meanCleanJobComputrons)} computrons (${x.cleanJobComputrons.length} switches)`,
          `  steady mining                 ${Math.round(x.computronsPerSecond)} computrons/s`,
          `  heap                          ${x.maxHeapCount} slots at most (code included), bundle ${(x.bundleBytes / 1024).toFixed(0)} KiB`,
        );
      }
      const fm = report.firmwareMemory;
      if (fm && 'skipped' in fm) lines.push(`Firmware memory on Moddable: skipped, ${fm.skipped}`);
      else if (fm) {
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        lines.push(`Firmware memory on Moddable (lin, mcsim; ${fm.creation}):`);
        for (const p of fm.phases) {
          lines.push(`  ${p.phase.padEnd(10)} slots ${kb(p.slotHeapBytes.min)}–${kb(p.slotHeapBytes.max)} (64-bit), chunks ${kb(p.chunkHeapBytes.min)}–${kb(p.chunkHeapBytes.max)}, stack ${kb(p.stackPeakBytes)}; on the ESP32 ≤ ${kb(p.esp32LiveBytesMax)}`);
        }
        lines.push(`  live heap on the ESP32, at most ${kb(fm.esp32LiveBytesMax)} (goal 48 KB); ${fm.sharesAccepted} shares accepted at ${(fm.hashRate / 1000).toFixed(1)} kH/s`);
        lines.push(`  clean job → core              ${fm.jobSwitchMs.mean === null ? 'n/a' : `${fm.jobSwitchMs.mean.toFixed(0)} ms mean`} on the desktop runtime`);
      }
      print(lines.join('\n'));
    });
}
