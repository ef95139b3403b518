/**
 * host/cli — the `kilohash` command line. Each command lives in commands/ and registers
 * itself here; this file owns only argument parsing and how the process exits.
 */
import { Command } from 'commander';
import { registerBench } from './commands/bench.ts';
import { registerJob } from './commands/job.ts';
import { registerPool } from './commands/pool.ts';
import { registerScan } from './commands/scan.ts';
import { registerMine } from './commands/mine.ts';
import { registerDemo } from './commands/demo.ts';
import { registerFirmware } from './commands/firmware.ts';
import { registerSynth } from './commands/synth.ts';
import { registerEspruino } from './commands/espruino.ts';
import { registerSerial } from './commands/serial.ts';
import { exitCodeFor } from './errors.ts';
import { KILOHASH_VERSION } from '../../src/version.ts';

export function buildProgram(print: (s: string) => void = (s) => process.stdout.write(s + '\n')): Command {
  const program = new Command('kilohash')
    .description('ESP32 + FPGA Bitcoin solo miner: firmware tools, simulators and a local pool')
    .version(KILOHASH_VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerJob(program, print);
  registerPool(program, print);
  registerDemo(program, print);
  registerMine(program, print);
  registerScan(program, print);
  registerBench(program, print);
  registerSynth(program, print);
  registerFirmware(program, print);
  registerEspruino(program, print);
  registerSerial(program, print);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    const { code, message } = exitCodeFor(err);
    if (message !== undefined) process.stderr.write(`kilohash: error: ${message}\n`);
    return code;
  }
}
