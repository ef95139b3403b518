/**
 * The one rule for tests that need an RTL simulator: CI installs both (iverilog, verilator), so
 * there a missing one fails the run at once; on a developer machine its tests are skipped, and
 * the run says why.
 */
import { simulatorAvailable, type Simulator } from '../../host/rtl/simulators.ts';

const warned = new Set<Simulator>();

/** Whether `sim` can run here; throws on CI when it cannot. */
export function hasSimulator(sim: Simulator): boolean {
  if (simulatorAvailable(sim)) return true;
  if (process.env.CI) throw new Error(`${sim} is missing on CI (apt-get install iverilog verilator)`);
  if (!warned.has(sim)) console.warn(`skipping ${sim} RTL tests: not installed (apt-get install iverilog verilator)`);
  warned.add(sim);
  return false;
}

/** The simulators of `wanted` that can run here, in that order (same rule). */
export function simulatorsHere<S extends Simulator>(wanted: readonly S[]): S[] {
  return wanted.filter((s) => hasSimulator(s));
}
