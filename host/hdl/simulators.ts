/**
 * Builds and runs the RTL testbenches under Icarus Verilog and Verilator. Builds are cached
 * by a hash of the sources, so a test run or a bench only compiles what changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Simulator = 'icarus' | 'verilator';

export const HDL_DIR = fileURLToPath(new URL('../../hdl/', import.meta.url));
const CACHE = resolve(fileURLToPath(new URL('../../', import.meta.url)), 'build', 'sim');

export function simulatorAvailable(sim: Simulator): boolean {
  const tool = sim === 'icarus' ? 'iverilog' : 'verilator';
  return spawnSync(tool, ['-V'], { encoding: 'utf8' }).error === undefined;
}

/** Builds `top` from `sources` (paths relative to hdl/) and returns the executable's command. */
export function buildTestbench(sim: Simulator, top: string, sources: string[]): string[] {
  const files = sources.map((s) => join(HDL_DIR, s));
  const hash = createHash('sha256');
  hash.update(sim + top);
  for (const f of files) hash.update(readFileSync(f));
  // Included headers change the build too.
  for (const h of readdirSync(HDL_DIR).filter((n) => n.endsWith('.vh')).sort()) hash.update(readFileSync(join(HDL_DIR, h)));
  const dir = join(CACHE, `${sim}-${top}-${hash.digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  if (sim === 'icarus') {
    const out = join(dir, `${top}.vvp`);
    if (!existsSync(out)) run('iverilog', ['-g2012', '-I', HDL_DIR, '-s', top, '-o', out, ...files]);
    return ['vvp', '-n', out];
  }
  const exe = join(dir, `V${top}`);
  if (!existsSync(exe)) {
    run('verilator', ['--binary', '--timing', '-O2', '-Wno-fatal', `-I${HDL_DIR}`, '--top-module', top, '-Mdir', dir, ...files]);
  }
  return [exe];
}

export function runTestbench(command: string[], plusargs: Record<string, string | number>): string {
  const args = Object.entries(plusargs).map(([k, v]) => `+${k}=${v}`);
  const r = spawnSync(command[0]!, [...command.slice(1), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command[0]} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}):\n${r.stderr || r.stdout}`);
}
