/**
 * `kilohash scan` — loads one header's work into a core (the model, or the RTL under
 * Verilator or Icarus), scans a nonce range through the real driver and prints every nonce
 * found, then a summary. The same answers from every core are the point.
 */
import type { Command } from 'commander';
import { hexToBytes, readU32LE } from '../../../src/work/bytes.ts';
import { CORE_SPEC_HELP, type CoreSpec, coreName, openCore } from '../../core/open-core.ts';
import { type ScanSummary, scanRange } from '../../core/scan.ts';
import { keepAliveClock, stderrLog } from '../../platform/node.ts';
import { UsageError } from '../errors.ts';
import type { Device } from '../../rtl/synth/devices.ts';
import { coreOption, DEVICE_HELP, deviceOption, intOption, LOOP_HELP, loopOption, rtlCoreFlags, STAGES_HELP, u32Option } from '../options.ts';

interface ScanFlags {
  core: CoreSpec;
  header: string;
  start?: number;
  count?: number;
  engines?: number;
  device?: Device;
  loop?: number;
  stages?: number;
  thresholdBits: number;
  selfTest?: boolean;
  json?: boolean;
}

export function registerScan(program: Command, print: (s: string) => void): void {
  program
    .command('scan')
    .description('scan a nonce range of one block header on a core (model, RTL or a board) and print what it finds')
    .option('--core <core>', CORE_SPEC_HELP, coreOption, { kind: 'model' } as CoreSpec)
    .requiredOption('--header <hex>', "the 80-byte header as 160 hex digits (its nonce field is ignored)")
    .option('--start <n>', 'first nonce (the header nonce field\'s value; decimal or 0x hex)', u32Option)
    .option('--count <n>', 'nonces to scan (default: up to the end of the nonce space)', u32Option)
    .option('--engines <n>', 'model: worker threads; RTL: engines built into the core (default 1)', intOption(1, 64))
    .option('--device <device>', DEVICE_HELP, deviceOption)
    .option('--loop <n>', LOOP_HELP, loopOption)
    .option('--stages <n>', STAGES_HELP, intOption(1, 64))
    .option('--threshold-bits <n>', 'report hashes with at least this many leading zero bits (32 = difficulty 1)', intOption(1, 256), 32)
    .option('--self-test', 'run the core\'s known-answer test first')
    .option('--json', 'one JSON object per found nonce, then the summary')
    .action(async (flags: ScanFlags) => {
      const header = hexToBytes(flags.header.trim(), '--header', 80);
      const start = flags.start ?? 0;
      const count = flags.count ?? 0x100000000 - start;
      if (count < 1) throw new UsageError('--count must be at least 1');
      if (start + count > 0x100000000) throw new UsageError(`--start ${start} + --count ${count} runs past the last nonce (0xffffffff)`);
      const rtl = flags.core.kind === 'verilator' || flags.core.kind === 'icarus';
      if (!rtl && (flags.device !== undefined || flags.loop !== undefined || flags.stages !== undefined)) throw new UsageError('--device, --loop and --stages build the RTL: use them with --core verilator or icarus');
      const core = openCore({ ...flags.core, ...(rtl ? rtlCoreFlags(flags) : { engines: flags.engines ?? 1 }) });
      const signal = { aborted: false };
      const onSigint = () => { signal.aborted = true; };
      process.once('SIGINT', onSigint);
      let lastProgress = 0;
      const progress = !flags.json && process.stderr.isTTY;
      let summary: ScanSummary;
      try {
        if (!flags.json) print(`scanning ${count} nonces from ${start} (0x${start.toString(16)}) on the ${core.describe}`);
        summary = await scanRange({
          link: core.link,
          clock: keepAliveClock,
          header,
          start,
          count,
          thresholdBits: flags.thresholdBits,
          workSize: core.workSize,
          selfTest: flags.selfTest,
          log: stderrLog('warn'),
          signal,
          onFound: (f) => {
            if (flags.json) print(JSON.stringify({ nonce: f.nonce, hash: f.hash, difficulty: f.difficulty }));
            else print(`found nonce ${f.nonce} (0x${f.nonce.toString(16).padStart(8, '0')})  hash ${f.hash}  difficulty ${formatDifficulty(f.difficulty)}`);
          },
          onProgress: (scanned) => {
            if (!progress || Date.now() - lastProgress < 500) return;
            lastProgress = Date.now();
            process.stderr.write(`\r  ${((100 * scanned) / count).toFixed(1)} %  ${scanned} nonces`);
          },
        });
        if (progress) process.stderr.write('\r\x1b[K');
      } finally {
        process.removeListener('SIGINT', onSigint);
        await core.close();
      }
      const headerNonce = readU32LE(header, 76);
      const out = {
        summary: true,
        core: coreName(flags.core),
        engines: summary.identity.engines,
        scanned: summary.scanned,
        found: summary.found,
        seconds: Number(summary.seconds.toFixed(3)),
        rate: Math.round(summary.rate),
        hwErrors: summary.hwErrors,
        complete: summary.complete,
      };
      if (flags.json) print(JSON.stringify(out));
      else {
        print(`scanned ${out.scanned} nonces in ${out.seconds} s (${formatRate(summary.rate)}), found ${out.found}, hardware errors ${out.hwErrors}${out.complete ? '' : ' — stopped early'}`);
        if (summary.nonces.some((f) => f.nonce === headerNonce) && headerNonce >= start) print(`the header's own nonce ${headerNonce} was found`);
      }
      if (summary.hwErrors > 0) process.exitCode = 1;
    });
}

function formatRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(3)} MH/s` : `${(r / 1e3).toFixed(2)} kH/s`;
}

function formatDifficulty(d: number): string {
  return d >= 1e6 ? d.toExponential(3) : d.toFixed(2);
}
