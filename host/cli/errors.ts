/**
 * How the CLI ends: usage and input errors exit 2 with one clear line; a command stopped by a
 * signal exits as shells report one (128 + its number); anything else exits 1. Nothing reaches
 * the user as an untyped stack trace.
 */
import { constants } from 'node:os';
import { CommanderError, InvalidArgumentError } from 'commander';
import { InputError } from '../../src/work/errors.ts';
import { Interrupted } from '../rtl/synth/ecp5-tools.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage error raised by our own checks after commander parsed the flags. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function exitCodeFor(err: unknown): { code: number; message?: string } {
  if (err instanceof CommanderError) {
    // commander already printed its message (or the help text).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return { code: EXIT_OK };
    }
    return { code: EXIT_USAGE };
  }
  if (err instanceof InputError || err instanceof UsageError || err instanceof InvalidArgumentError) {
    return { code: EXIT_USAGE, message: err.message };
  }
  if (err instanceof Interrupted) return { code: 128 + constants.signals[err.signal], message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: EXIT_FAILURE, message };
}
