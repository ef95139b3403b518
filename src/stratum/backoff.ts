/**
 * Reconnect delays: exponential with jitter, so a fleet of boards that lost the same pool does
 * not come back in lockstep. The delay is drawn from [½·d, d] where d doubles per failure.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

export function backoffDelay(failures: number, options: BackoffOptions, random: () => number): number {
  const exp = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.round(exp * (0.5 + 0.5 * random()));
}
