/**
 * `kilohash bench` — speed figures, always as ratios measured side by side in one run, because
 * this machine is shared and absolute numbers drift from run to run.
 */
import type { Command } from 'commander';
import { hexToBytes } from '../../../src/work/bytes.ts';
import { measureSideBySide } from '../../bench/side-by-side.ts';
import { nodeCryptoContender, workHasherContender } from '../../bench/sha256d.ts';
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
    nodeCrypto: { noncesPerSecond: number; nonces: number };
    /** src/work rate divided by node:crypto's. */
    ratio: number;
  };
}

export function runBench(seconds: number): BenchReport {
  const header = hexToBytes(BENCH_HEADER, 'header', 80);
  const [work, native] = measureSideBySide([workHasherContender(header), nodeCryptoContender(header)], seconds);
  return {
    seconds,
    sha256d: {
      work: { noncesPerSecond: work!.noncesPerSecond, nonces: work!.nonces },
      nodeCrypto: { noncesPerSecond: native!.noncesPerSecond, nonces: native!.nonces },
      ratio: work!.noncesPerSecond / native!.noncesPerSecond,
    },
  };
}

function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(3)} MH/s` : `${(n / 1e3).toFixed(1)} kH/s`;
}

export function registerBench(program: Command, print: (s: string) => void): void {
  program
    .command('bench')
    .description('measure hash rates side by side (src/work SHA-256d vs node:crypto)')
    .option('--seconds <s>', 'how long to measure', positiveNumberOption, 3)
    .option('--json', 'print one JSON object')
    .action((opts: { seconds: number; json?: boolean }) => {
      const report = runBench(opts.seconds);
      if (opts.json) {
        print(JSON.stringify(report));
        return;
      }
      const s = report.sha256d;
      print(
        [
          `SHA-256d per nonce, measured side by side for ${report.seconds} s:`,
          `  src/work (midstate reuse)  ${rate(s.work.noncesPerSecond)}`,
          `  node:crypto (OpenSSL)      ${rate(s.nodeCrypto.noncesPerSecond)}`,
          `  ratio                      ${s.ratio.toFixed(2)}× node:crypto`,
        ].join('\n'),
      );
    });
}
