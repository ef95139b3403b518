/**
 * Flag value parsers shared by the commands. Each throws commander's InvalidArgumentError so
 * the message names the flag and the exit code is 2.
 */
import { InvalidArgumentError } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseU32 } from '../../src/work/bytes.ts';
import { InputError } from '../../src/work/errors.ts';
import { VERSION_RULES, type VersionRule } from '../../src/work/version-rolling.ts';
import { type CoreSpec, parseCoreSpec } from '../core/open-core.ts';
import { parseConsolePort } from '../serial/console-port.ts';
import { PIPELINE_LOOPS, pipelineFromFlags, type Pipeline } from '../rtl/pipeline.ts';
import { DEVICE_DEFAULTS, DEVICES, type Device } from '../rtl/synth/devices.ts';
import { UsageError } from './errors.ts';

function rethrow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) throw new InvalidArgumentError(err.reason);
    throw err;
  }
}

export function u32Option(value: string): number {
  return rethrow(() => parseU32(value, 'value'));
}

export function positiveNumberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

export function nonNegativeNumberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number, 0 or more');
  return n;
}

export function intOption(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export const LOOP_HELP = 'RTL: the pipelined core for large FPGAs instead of lanes, one nonce every n clocks (1, 2, 4 … 64)';
export const STAGES_HELP = 'RTL: the pipelined core\'s register stages per hash, 64 / (loop × rounds a clock); with --loop 1: 64, 32 or 16';

export const DEVICE_HELP = `RTL: the core a device's bitstream carries by default (${DEVICES.join(', ')}); --engines, --loop and --stages override it`;

export function deviceOption(value: string): Device {
  const d = DEVICES.find((x) => x === value.trim());
  if (!d) throw new InvalidArgumentError(`expected one of ${DEVICES.join(', ')}`);
  return d;
}

/**
 * The RTL core the flags ask for: lanes (--engines) or the pipelined engine (--loop, --stages),
 * starting from --device's default build when one is named.
 */
export function rtlCoreFlags(f: { device?: Device; engines?: number; loop?: number; stages?: number }): { engines: number; pipeline?: Pipeline } {
  const base = f.device !== undefined ? DEVICE_DEFAULTS[f.device].core : undefined;
  const pipeline = pipelineFlags(f.loop, f.stages, base?.kind === 'pipeline' ? base.pipeline : undefined);
  if (pipeline) {
    if (f.engines !== undefined && f.engines !== 1) throw new UsageError('the pipelined core is one engine: leave out --engines (or --loop, --stages and an ECP5 --device)');
    return { engines: 1, pipeline };
  }
  return { engines: f.engines ?? (base?.kind === 'lanes' ? base.engines : 1) };
}

/** --loop and --stages as session options: `{ pipeline }` when either was given, else nothing. */
export function pipelineOf(f: { loop?: number; stages?: number }): { pipeline?: Pipeline } {
  const pipeline = pipelineFlags(f.loop, f.stages);
  return pipeline ? { pipeline } : {};
}

/** --loop and --stages as one pipeline build (or the fallback), or a usage error that says what fits. */
export function pipelineFlags(loop: number | undefined, stages: number | undefined, fallback?: Pipeline): Pipeline | undefined {
  try {
    return pipelineFromFlags(loop, stages, fallback);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
}

/** The pipelined core's stage reuse: a power of two from 1 to 64. */
export function loopOption(value: string): number {
  const n = Number(value);
  if (!PIPELINE_LOOPS.includes(n) || !/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected one of ${PIPELINE_LOOPS.join(', ')}`);
  return n;
}

/** Plain 8-hex-digit word as Stratum writes it (no 0x), e.g. version bits or ntime. */
export function hexWordOption(value: string): number {
  if (!/^[0-9a-fA-F]{8}$/.test(value)) throw new InvalidArgumentError('expected exactly 8 hex digits');
  return Number.parseInt(value, 16) >>> 0;
}

/** How a pool rebuilds a submitted version: 'xor' or 'or'. */
export function versionRuleOption(value: string): VersionRule {
  const rule = VERSION_RULES.find((r) => r === value);
  if (rule === undefined) throw new InvalidArgumentError(`expected one of ${VERSION_RULES.join(', ')}`);
  return rule;
}

/** `@path` reads the value from a file; anything else is the value itself. */
export function readArgument(value: string, flag: string): string {
  if (!value.startsWith('@')) return value;
  const path = value.slice(1);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : 'unreadable';
    throw new InputError(flag, `cannot read file '${path}' (${why})`);
  }
}

/** A folder holding a built web UI (its index.html), e.g. AxeOS's dist. */
export function wwwOption(value: string): string {
  const dir = path.resolve(value);
  try {
    if (statSync(path.join(dir, 'index.html')).isFile()) return dir;
  } catch {
    // fall through to the message
  }
  throw new InvalidArgumentError(`'${value}' has no index.html (give the folder of a built web UI, e.g. AxeOS's dist/axe-os)`);
}

export const API_ACCESS_HELP = "who may change settings over the API: 'password' (the admin password) or 'local-network' (any client on a private address, as AxeOS does; pages elsewhere never)";

/** `--core`: model, verilator, icarus or espruino:<port>. */
export function coreOption(value: string): CoreSpec {
  try {
    return parseCoreSpec(value.trim());
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

/** A console port as `parseConsolePort` takes it: a serial path with optional @baud, or tcp://host:port. */
export function consolePortOption(value: string): string {
  try {
    parseConsolePort(value);
    return value.trim();
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}
