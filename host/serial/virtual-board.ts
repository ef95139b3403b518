/**
 * A USB FPGA board that is not there: the UART core (the RTL kh_top_uart under Verilator, or
 * the behavioural model behind the same framing) served on a pseudo-terminal, so any serial
 * program — `kilohash scan --core serial:<path>`, a terminal, a test — can talk to it as to an
 * iCEBreaker on /dev/ttyUSB1. Over a pty the baud rate is not simulated: the RTL runs its UART
 * at the bit time it was built for, the host may open the terminal at any rate.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { UART_DEFAULT_BAUD } from '../../src/core/protocol.ts';
import { uartAnswer, uartBaudProblem, uartCyclesPerBit, UartFrameDecoder } from '../../src/core/uart-framing.ts';
import { keepAliveClock } from '../platform/node.ts';
import { buildSimulation, MAX_LANES, simulatorAvailable, UART_CORE_RTL } from '../rtl/simulators.ts';
import { openPseudoTerminal, type PseudoTerminal } from './pty.ts';

const HARNESS = fileURLToPath(new URL('../rtl/cosim/uart-harness.cpp', import.meta.url));

export const VIRTUAL_BOARD_CORES = ['verilator', 'model'] as const;
export type VirtualBoardCore = (typeof VIRTUAL_BOARD_CORES)[number];

export interface VirtualBoardOptions {
  core: VirtualBoardCore;
  engines?: number;
  /** What the core reports as CLOCK_HZ, and (RTL) what its bit time is counted in. */
  clockHz?: number;
  /** The baud rate the RTL's UART is built for (its bit time in clock cycles). */
  baud?: number;
}

/** The board side of the serial line: bytes in, bytes out. */
interface UartBoard {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Rejects when the board stops by itself (the simulator died). */
  readonly failed: Promise<never>;
  close(): Promise<void>;
}

export interface VirtualBoard {
  /** The pseudo-terminal's path. */
  readonly path: string;
  readonly describe: string;
  /** Rejects if the board or the terminal stops before close(). */
  readonly failed: Promise<never>;
  close(): Promise<void>;
}

export async function startVirtualBoard(o: VirtualBoardOptions): Promise<VirtualBoard> {
  const engines = o.engines ?? 1;
  const clockHz = o.clockHz ?? 24_000_000;
  const baud = o.baud ?? UART_DEFAULT_BAUD;
  if (!Number.isInteger(engines) || engines < 1 || engines > MAX_LANES) throw new RangeError(`the core has 1 to ${MAX_LANES} engines, not ${engines}`);
  const problem = uartBaudProblem(clockHz, baud);
  if (problem) throw new RangeError(problem);
  const board = o.core === 'verilator' ? rtlBoard(engines, clockHz, baud) : modelBoard(engines);
  let pty: PseudoTerminal;
  try {
    pty = await openPseudoTerminal();
  } catch (err) {
    await board.close();
    throw err;
  }
  pty.onData((bytes) => board.write(bytes));
  board.onData((bytes) => pty.write(bytes));
  let closing = false;
  const ptyGone = pty.closed.then(() => {
    if (!closing) throw new Error('the pseudo-terminal bridge stopped');
    return new Promise<never>(() => undefined);
  });
  const failed = Promise.race([board.failed, ptyGone]);
  failed.catch(() => undefined);
  return {
    path: pty.path,
    describe: o.core === 'verilator'
      ? `the UART core's RTL under Verilator, ${engines} engine${engines === 1 ? '' : 's'}, built for ${baud} baud at ${clockHz / 1e6} MHz`
      : `the behavioural model behind the UART framing, ${engines === 1 ? 'one engine' : `${engines} engines`}`,
    failed,
    close: async () => {
      closing = true;
      await pty.close();
      await board.close();
    },
  };
}

/** Builds (or finds in the cache) the UART top under Verilator and starts it. */
function rtlBoard(engines: number, clockHz: number, baud: number): UartBoard {
  if (!simulatorAvailable('verilator')) throw new Error('verilator is not installed (Debian: apt-get install verilator)');
  const command = buildSimulation({
    sim: 'verilator', top: 'kh_top_uart', sources: [...UART_CORE_RTL, 'kh_top_uart.v'],
    parameters: { ENGINES: engines, CLOCK_HZ: clockHz, BAUD: baud }, harness: HARNESS,
  });
  const child: ChildProcessWithoutNullStreams = spawn(command[0]!, [...command.slice(1), `+cpb=${uartCyclesPerBit(clockHz, baud)}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stopping = false;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  child.stdin.on('error', () => undefined);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`the simulation failed to start: ${e.message}`)));
    child.once('exit', (code, signal) => { if (!stopping) reject(new Error(`the simulation exited (${signal ?? code})${stderr ? ': ' + stderr.trim() : ''}`)); });
  });
  failed.catch(() => undefined);
  return {
    write: (bytes) => { if (child.exitCode === null) child.stdin.write(bytes); },
    onData: (listener) => child.stdout.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    failed,
    close: async () => {
      stopping = true;
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * The model behind the same framing: answers a frame's bytes when its END arrives (the RTL
 * answers each as it comes; the bytes are the same). It hashes on this thread whatever
 * `engines` its CAPS report.
 */
function modelBoard(engines: number): UartBoard {
  const link = new ModelLink({ engines, clock: keepAliveClock, defer: setImmediate });
  const decoder = new UartFrameDecoder();
  const listeners: Array<(bytes: Uint8Array) => void> = [];
  return {
    write: (bytes) => decoder.push(bytes, (f) => {
      link.transfer(f.bytes, f.damaged);
      const out = uartAnswer(f.bytes, link.model.answerToLast);
      for (const l of listeners) l(out);
    }),
    onData: (listener) => { listeners.push(listener); },
    failed: new Promise<never>(() => undefined),
    close: async () => { link.close(); },
  };
}
