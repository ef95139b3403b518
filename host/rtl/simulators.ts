/**
 * Builds and runs the RTL testbenches under Icarus Verilog and Verilator. Builds are cached
 * by a hash of the sources, so a test run or a bench only compiles what changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Simulator = 'icarus' | 'verilator';

export const HDL_DIR = fileURLToPath(new URL('../../hdl/', import.meta.url));
const CACHE = resolve(fileURLToPath(new URL('../../', import.meta.url)), 'build', 'sim');

/** The engine's RTL (relative to hdl/), and the whole core's: one list for tests, co-sim and lint. */
export const ENGINE_RTL = ['kh_sha256_k.v', 'kh_add_chain.v', 'kh_add_fold.v', 'kh_sha256_round.v', 'kh_add32.v', 'kh_lane.v', 'kh_engine.v', 'kh_sha256_stage.v', 'kh_sha256_pipe.v', 'kh_pipe_engine.v'];
/** The core behind either link: frames, registers, queue, engines, results. */
const CORE_BODY_RTL = [
  ...ENGINE_RTL, 'kh_frame_parser.v', 'kh_regfile.v', 'kh_work_queue.v', 'kh_result_fifo.v', 'kh_result_arbiter.v', 'kh_counter64.v', 'kh_core.v',
];
/** The core behind SPI (kh_top, the ESP32 boards). */
export const CORE_RTL = [...CORE_BODY_RTL, 'kh_spi_slave.v', 'kh_core_spi.v'];
/** The core behind a UART (kh_top_uart, the iCEBreaker). */
export const UART_CORE_RTL = [...CORE_BODY_RTL, 'kh_uart_rx.v', 'kh_uart_tx.v', 'kh_uart_link.v', 'kh_core_uart.v'];
/** Most lanes kh_engine supports: each lane's next nonce word is written in one of hash 2's rounds 52-59. */
export const MAX_LANES = 8;

/** Cycles per nonce of the iterative lanes as the RTL declares it (kh_core.v's LANE_CYCLES_PER_NONCE): one source. */
export function rtlCyclesPerNonce(): number {
  const m = /localparam \[31:0\] LANE_CYCLES_PER_NONCE = 32'd(\d+);/.exec(readFileSync(join(HDL_DIR, 'kh_core.v'), 'utf8'));
  if (!m) throw new Error('kh_core.v does not declare LANE_CYCLES_PER_NONCE');
  return Number(m[1]);
}

export function simulatorAvailable(sim: Simulator): boolean {
  const tool = sim === 'icarus' ? 'iverilog' : 'verilator';
  return spawnSync(tool, ['-V'], { encoding: 'utf8' }).error === undefined;
}

/** Builds `top` from `sources` (paths relative to hdl/) and returns the executable's command. */
export function buildTestbench(sim: Simulator, top: string, sources: string[]): string[] {
  return buildSimulation({ sim, top, sources });
}

export interface SimulationBuild {
  sim: Simulator;
  top: string;
  /** Verilog files relative to hdl/. */
  sources: string[];
  /** Top-level parameter overrides. */
  parameters?: Record<string, number>;
  /** Verilator: a C++ main (absolute path) instead of a --binary build with timing. */
  harness?: string;
  /** Preprocessor macros to define. */
  defines?: string[];
  /** Further Verilog files by absolute path (a vendor's cell models). */
  libraries?: string[];
  /** Verilator: flags after VERILATOR_FLAGS, for this build only (a large netlist's). */
  verilatorFlags?: string[];
}

/** yosys' simulation models of the iCE40 primitives (SB_MAC16 …), shipped with @yowasp/yosys. */
export const ICE40_CELLS_SIM = fileURLToPath(new URL('../../node_modules/@yowasp/yosys/gen/share/ice40/cells_sim.v', import.meta.url));

/** The macro that puts kh_add32 and kh_counter64 on SB_MAC16 blocks (the UP5K build). */
export const ICE40_DSP_DEFINE = 'KH_ICE40_DSP';

/** Simulate the RTL as the UP5K builds it: DSP blocks, run on yosys' own SB_MAC16 model. */
export const UP5K_DSP_SIM: Pick<SimulationBuild, 'defines' | 'libraries'> = {
  // NO_ICE40_DEFAULT_ASSIGNMENTS: cells_sim's input-port defaults are syntax icarus refuses.
  defines: [ICE40_DSP_DEFINE, 'NO_ICE40_DEFAULT_ASSIGNMENTS'],
  libraries: [ICE40_CELLS_SIM],
};

/**
 * Builds a simulation once per distinct input (sources, headers, parameters, harness) and
 * returns the command that runs it. Cached under build/sim; a stale cache is never reused.
 */
/**
 * Verilator's optimisation flags; part of the cache key. Initial values stay `unique` (zero):
 * Verilator 5.006 with `-x-initial fast` simulates kh_pipe_engine wrongly (no nonce found at
 * one nonce per clock), while the same build with unique, or random, initial values and Icarus
 * all find it.
 */
const VERILATOR_FLAGS = ['-O3', '-x-assign', 'fast', '-x-initial', 'unique', '--noassert', '-Wno-fatal'];

export function buildSimulation(b: SimulationBuild): string[] {
  const files = [...b.sources.map((s) => join(HDL_DIR, s)), ...(b.libraries ?? [])];
  const params = Object.entries(b.parameters ?? {}).sort(([x], [y]) => x.localeCompare(y));
  const defines = [...(b.defines ?? [])].sort();
  const hash = createHash('sha256');
  const verilatorFlags = b.sim === 'verilator' ? [...VERILATOR_FLAGS, ...(b.verilatorFlags ?? [])] : [];
  hash.update(b.sim + b.top + JSON.stringify(params) + JSON.stringify(defines) + verilatorFlags.join(' '));
  for (const f of files) hash.update(readFileSync(f));
  if (b.harness) hash.update(readFileSync(b.harness));
  // Included headers change the build too.
  for (const h of readdirSync(HDL_DIR).filter((n) => n.endsWith('.vh')).sort()) hash.update(readFileSync(join(HDL_DIR, h)));
  const key = `${b.sim}-${b.top}-${hash.digest('hex').slice(0, 16)}`;
  const dir = join(CACHE, key);
  const name = b.sim === 'icarus' ? `${b.top}.vvp` : `V${b.top}`;
  const out = join(dir, name);
  if (!existsSync(out)) {
    // Each build gets its own folder and moves only the finished file into the cache, so two
    // test files building the same simulation at once, or a killed build, never leave a
    // half-written one behind.
    mkdirSync(CACHE, { recursive: true });
    const work = mkdtempSync(join(CACHE, `${key}.build-`));
    try {
      if (b.sim === 'icarus') {
        const p = params.flatMap(([k, v]) => ['-P', `${b.top}.${k}=${v}`]);
        run('iverilog', ['-g2012', '-I', HDL_DIR, ...defines.map((d) => `-D${d}`), '-s', b.top, ...p, '-o', join(work, name), ...files], join(work, 'build.log'));
      } else {
        const p = params.map(([k, v]) => `-G${k}=${v}`);
        const mode = b.harness ? ['--cc', '--exe', '--build', '-j', '2', b.harness] : ['--binary', '--timing'];
        run('verilator', [...mode, '-o', name, ...verilatorFlags, `-I${HDL_DIR}`, ...defines.map((d) => `-D${d}`), '--top-module', b.top, ...p, '-Mdir', work, ...files], join(work, 'build.log'));
      }
      mkdirSync(dir, { recursive: true });
      renameSync(join(work, name), out);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return b.sim === 'icarus' ? ['vvp', '-n', out] : [out];
}

export function runTestbench(command: string[], plusargs: Record<string, string | number>): string {
  const args = Object.entries(plusargs).map(([k, v]) => `+${k}=${v}`);
  const r = spawnSync(command[0]!, [...command.slice(1), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command[0]} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** How much of a failed build's output an error quotes: its end, where the reason is. */
const LOG_TAIL = 16 << 10;

/**
 * Runs a build tool with its output in `log`, a file, not in memory: a build's output has no
 * bound. Verilator's warnings about the packed cells' unused pins (about a million, 330 MB, on
 * the 85F's routed netlist, before those builds turned PINMISSING off) overran spawnSync's
 * buffer and killed the build with no reason given.
 */
function run(cmd: string, args: string[], log: string): void {
  const fd = openSync(log, 'w');
  let r;
  try {
    r = spawnSync(cmd, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (r.status === 0) return;
  const out = readFileSync(log);
  const tail = out.subarray(Math.max(0, out.length - LOG_TAIL)).toString('utf8');
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
  throw new Error(`${cmd} failed (${why}); the end of its output${out.length > LOG_TAIL ? ` (${out.length} bytes in all)` : ''}:\n${tail}`);
}
