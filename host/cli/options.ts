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
import { PIPELINE_LOOPS } from '../rtl/simulators.ts';

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
