/**
 * Core-level figures for `kilohash bench`: the model's rate through the real driver with one
 * thread and with one worker per CPU, and the co-simulation's simulated clock cycles per
 * second. Each is a rate over a timed scan; the thread figures are reported as a ratio.
 */
import { availableParallelism } from 'node:os';
import { SELF_TEST } from '../../src/core/self-test.ts';
import { hexToBytes } from '../../src/work/bytes.ts';
import { CosimLink } from '../rtl/cosim/bridge.ts';
import { openCore } from '../core/open-core.ts';
import { scanRange } from '../core/scan.ts';
import { simulatorAvailable, type Simulator } from '../rtl/simulators.ts';
import { keepAliveClock } from '../platform/node.ts';

export interface ModelThreadsFigure {
  engines: number;
  noncesPerSecond: number;
}

/** Scans through driver + model for about `seconds`; returns nonces per second. */
export async function modelRate(engines: number, seconds: number): Promise<ModelThreadsFigure> {
  const core = openCore({ kind: 'model', engines });
  const signal = { aborted: false };
  const timer = setTimeout(() => { signal.aborted = true; }, seconds * 1000);
  try {
    const s = await scanRange({
      link: core.link, clock: keepAliveClock, header: hexToBytes(SELF_TEST.header), start: 0, count: 0xffffffff,
      workSize: core.workSize, signal, pollMs: 50,
    });
    return { engines, noncesPerSecond: s.rate };
  } finally {
    clearTimeout(timer);
    await core.close();
  }
}

export function cpuCount(): number {
  return availableParallelism();
}

export interface CosimFigure {
  simulator: Simulator;
  engines: number;
  /** Simulated core clock cycles per wall-clock second while hashing (free running, frames included). */
  cyclesPerSecond: number;
}

/** Runs the RTL hashing a large range for about `seconds` and counts simulated cycles. */
export async function cosimRate(simulator: Simulator, seconds: number): Promise<CosimFigure | { simulator: Simulator; skipped: string }> {
  if (!simulatorAvailable(simulator)) return { simulator, skipped: 'not installed' };
  const link = CosimLink.start({ simulator, engines: 1 });
  try {
    const header = hexToBytes(SELF_TEST.header);
    const signal = { aborted: false };
    // The build (first run only) and start-up are not part of the measurement: a short scan first.
    await scanRange({ link, clock: keepAliveClock, header, start: 0, count: 16, workSize: 16, pollMs: 5 });
    const c0 = link.cycles;
    const t0 = performance.now();
    const timer = setTimeout(() => { signal.aborted = true; }, seconds * 1000);
    await scanRange({ link, clock: keepAliveClock, header, start: 0, count: 0xffffffff, workSize: 1 << 16, signal, pollMs: 50 });
    clearTimeout(timer);
    return { simulator, engines: 1, cyclesPerSecond: ((link.cycles - c0) * 1000) / (performance.now() - t0) };
  } finally {
    await link.close();
  }
}
