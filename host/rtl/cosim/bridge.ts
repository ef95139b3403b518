/**
 * RTL co-simulation as a CoreLink: the real hdl/ top (SPI slave, synchronisers, register file,
 * queue, engines) runs under Verilator or Icarus in a child process, and every frame the driver
 * sends becomes SPI pin wiggles at the simulated clock (SCK = clk/8 by default, the fastest the
 * spec allows). Between frames the simulation keeps running, so the core hashes on its own
 * like a board does. The line protocol to the harness is in docs/core-driver.md.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { match } from 'ts-pattern';
import { CoreLinkError, type CoreLink, type ReadyLine } from '../../../src/core/link.ts';
import { bytesToHex, hexToBytes } from '../../../src/work/bytes.ts';
import { type Pipeline, pipelineProblem } from '../pipeline.ts';
import type { SynthesizedNetlist } from '../synth/netlist.ts';
import { buildSimulation, CORE_RTL, ICE40_CELLS_SIM, MAX_LANES, type Simulator, simulatorAvailable } from '../simulators.ts';

const RTL_SOURCES = [...CORE_RTL, 'kh_top.v'];

const HARNESS = fileURLToPath(new URL('./harness.cpp', import.meta.url));

export interface CosimOptions {
  simulator: Simulator;
  engines?: number;
  /** The pipelined engine (kh_pipe_engine) instead of lanes. */
  pipeline?: Pipeline;
  /** What the core reports as CLOCK_HZ (the simulation itself runs as fast as it can). */
  clockHz?: number;
  /** Clock cycles per SCK half period (default 4: SCK = clk/8). */
  sckHalfCycles?: number;
  /**
   * Keep the simulation running between frames (default true). Off, simulated time passes
   * only in frames and `runCycles`: deterministic, for tests that count cycles.
   */
  freeRun?: boolean;
  /**
   * Free running: while READY is high (results waiting), run cycles only in frames, so the
   * simulated core waits for the host to read them (default true). A board's host answers
   * READY within microseconds; a host process on a loaded machine can take milliseconds,
   * millions of simulated cycles, and a fast core would overflow its FIFO in them: a loss
   * the simulation made, not the core. Off, the simulation runs on as a board would.
   */
  waitForHost?: boolean;
  /**
   * Simulate this synthesised (host/rtl/synth/netlist.ts) or routed (routed-netlist.ts)
   * netlist of `kh_top` on its cell models instead of the RTL; its engines and CLOCK_HZ are
   * what it was synthesised with.
   */
  netlist?: SynthesizedNetlist;
}

/** Builds (or finds in the cache) the simulator for this top and returns its command line. */
export function buildCosim(simulator: Simulator, engines: number, clockHz: number, netlist?: SynthesizedNetlist, pipeline?: Pipeline): string[] {
  if (netlist !== undefined) {
    // Verilator only: a gate-level netlist under Icarus runs ~10^3 cycles a second.
    if (simulator !== 'verilator') throw new Error('a synthesised netlist is simulated under Verilator only');
    const cells = match(netlist.cells)
      .with('inline', () => ({ sources: [], libraries: [netlist.verilog] }))
      .with('ice40', () => ({ sources: [], libraries: [netlist.verilog, ICE40_CELLS_SIM], defines: ['NO_ICE40_DEFAULT_ASSIGNMENTS'] }))
      // A packed cell leaves most of its pins unconnected (a LUT's WD, WAD, WRE, FXB …), and
      // Verilator warns of each: about a million warnings on the 85F, which took its front end
      // from 4 minutes to 14 and wrote 330 MB of log.
      .with('ecp5-packed', () => ({ sources: ['tb/ecp5_packed_cells.v'], libraries: [netlist.verilog], verilatorFlags: ['-Wno-PINMISSING'] }))
      .exhaustive();
    return buildSimulation({ sim: 'verilator', top: 'kh_top', harness: HARNESS, ...cells });
  }
  if (!Number.isInteger(engines) || engines < 1 || engines > MAX_LANES) {
    throw new RangeError(`the RTL core has 1 to ${MAX_LANES} engines, not ${engines}`);
  }
  const problem = pipeline ? pipelineProblem(pipeline) : null;
  if (problem) throw new RangeError(problem);
  if (pipeline && engines !== 1) throw new RangeError('the pipelined core is one engine: leave out --engines');
  if (!simulatorAvailable(simulator)) {
    throw new Error(`${simulator === 'icarus' ? 'iverilog' : 'verilator'} is not installed (Debian: apt-get install ${simulator === 'icarus' ? 'iverilog' : 'verilator'})`);
  }
  const parameters = { ENGINES: engines, LOOP: pipeline?.loop ?? 0, ROUNDS: pipeline?.rounds ?? 1, CLOCK_HZ: clockHz };
  if (simulator === 'verilator') return buildSimulation({ sim: 'verilator', top: 'kh_top', sources: RTL_SOURCES, parameters, harness: HARNESS });
  return buildSimulation({ sim: 'icarus', top: 'cosim_icarus', sources: [...RTL_SOURCES, 'tb/cosim_icarus.v'], parameters });
}

type Pending = { line: string; resolve: (reply: string) => void; reject: (e: Error) => void };

export class CosimLink implements CoreLink {
  readonly ready: ReadyLine;
  /** Simulated clock cycles so far. */
  cycles = 0;
  private readyLevel = false;
  private readonly risers = new Set<() => void>();
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private inflight: Pending | undefined;
  private closed = false;
  private failure: Error | undefined;
  private freeRun: boolean;
  private readonly waitForHost: boolean;
  /** The free-running pump stopped because results are waiting; a frame that clears READY restarts it. */
  private parked = false;
  /**
   * Cycles per free-running chunk, tuned to `chunkMs` of wall time: a frame waits for at most
   * one chunk, so chunks stay short next to the driver's poll interval.
   */
  private chunk: number;
  private readonly chunkMs: number;
  private stderr = '';

  private constructor(command: string[], options: CosimOptions) {
    this.freeRun = options.freeRun ?? true;
    this.waitForHost = options.waitForHost ?? true;
    this.chunk = options.simulator === 'verilator' ? 2048 : 64;
    this.chunkMs = options.simulator === 'verilator' ? 1 : 5;
    const half = options.sckHalfCycles ?? 4;
    this.child = spawn(command[0]!, [...command.slice(1), `+half=${half}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.child.on('error', (e) => this.fail(new CoreLinkError(`co-simulation failed to start: ${e.message}`)));
    this.child.on('exit', (code, signal) => {
      if (!this.closed) this.fail(new CoreLinkError(`co-simulation exited (${signal ?? code})${this.stderr ? ': ' + this.stderr.trim() : ''}`));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.onLine(line));
    this.ready = {
      read: () => this.readyLevel,
      onRise: (cb) => {
        this.risers.add(cb);
        return () => this.risers.delete(cb);
      },
    };
  }

  static start(options: CosimOptions): CosimLink {
    const command = buildCosim(options.simulator, options.engines ?? 1, options.clockHz ?? 12_000_000, options.netlist, options.pipeline);
    const link = new CosimLink(command, options);
    if (link.freeRun) link.pump();
    return link;
  }

  async transfer(frame: Uint8Array): Promise<void> {
    const reply = await this.send(`T ${bytesToHex(frame)}`);
    const [tag, hex] = reply.split(' ');
    if (tag !== 'R' || hex === undefined || hex.length !== frame.length * 2) throw new CoreLinkError(`co-simulation: bad reply to a frame: ${reply}`);
    frame.set(hexToBytes(hex));
  }

  /** Runs the simulation for `n` more cycles (beyond what free running does). */
  async runCycles(n: number): Promise<void> {
    await this.send(`C ${Math.max(0, Math.floor(n))}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.freeRun = false;
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    this.child.stdin.end('Q\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.fail(new CoreLinkError('co-simulation closed'));
  }

  private send(line: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.inflight || this.queue.length === 0 || this.failure) return;
    this.inflight = this.queue.shift()!;
    this.child.stdin.write(this.inflight.line + '\n');
  }

  private onLine(line: string): void {
    const p = this.inflight;
    this.inflight = undefined;
    if (!p) return;
    // Every reply ends "<cycles> <ready>".
    const parts = line.split(' ');
    const cycles = Number(parts[parts.length - 2]);
    const ready = parts[parts.length - 1] === '1';
    if (Number.isFinite(cycles)) this.cycles = cycles;
    const rose = ready && !this.readyLevel;
    this.readyLevel = ready;
    if (line.startsWith('E')) p.reject(new CoreLinkError(`co-simulation: ${line}`));
    else p.resolve(line);
    if (rose) for (const cb of this.risers) cb();
    if (this.parked && !ready) {
      this.parked = false;
      setImmediate(() => this.pump());
    }
    this.next();
  }

  /** Free running: whenever nothing else is waiting, run another chunk of cycles. */
  private pump(): void {
    if (!this.freeRun || this.failure) return;
    if (this.waitForHost && this.readyLevel) {
      this.parked = true;
      return;
    }
    const t0 = performance.now();
    // Waiting for the host, a chunk ends at READY's rise, so no cycle runs between a result
    // and the host hearing of it but those of the frames that read it.
    this.send(`${this.waitForHost ? 'W' : 'C'} ${this.chunk}`).then(
      () => {
        const ms = performance.now() - t0;
        if (ms < this.chunkMs / 2) this.chunk = Math.min(this.chunk * 2, 1 << 20);
        else if (ms > this.chunkMs * 2) this.chunk = Math.max(this.chunk >> 1, 64);
        // Let queued frames go first: they were added while this chunk ran.
        setImmediate(() => this.pump());
      },
      () => {},
    );
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    const waiting = this.inflight ? [this.inflight, ...this.queue] : [...this.queue];
    this.inflight = undefined;
    this.queue.length = 0;
    for (const p of waiting) p.reject(e);
  }
}
