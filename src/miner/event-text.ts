/**
 * The miner's events and hash rates as short human-readable lines: the terminal (`kilohash
 * mine`, `demo`) and the board's log (AxeOS's log page) say the same things the same way.
 */
import type { LogLevel } from '../platform/interfaces.ts';
import type { MinerEvent } from './miner.ts';
import { formatDifficulty } from './status.ts';

export function formatHashRate(h: number): string {
  const units: Array<[number, string]> = [[1e12, 'TH/s'], [1e9, 'GH/s'], [1e6, 'MH/s'], [1e3, 'kH/s']];
  for (const [v, u] of units) if (h >= v) return `${(h / v).toFixed(2)} ${u}`;
  return `${h.toFixed(0)} H/s`;
}

export function describeEvent(e: MinerEvent): string {
  switch (e.type) {
    case 'core-ready':
      return `core ready: ${e.identity.engines} engine(s)${e.identity.nominalHashRate ? `, ${formatHashRate(e.identity.nominalHashRate)} nominal` : ''}${e.selfTest ? `, self-test passed in ${e.selfTest.milliseconds.toFixed(0)} ms` : ''}`;
    case 'core-fault':
      return `core fault: ${e.message} (retrying)`;
    case 'connected':
      return `connected to ${e.url}`;
    case 'disconnected':
      return `disconnected: ${e.reason}${e.retryInMs !== null ? `; retrying in ${(e.retryInMs / 1000).toFixed(1)} s` : ''}`;
    case 'auth-failed':
      return `pool refused worker '${e.user}': ${e.reason}`;
    case 'job':
      return `job ${e.jobId}${e.clean ? ' (clean: core switched)' : ''}`;
    case 'job-switch':
      return `  core on job ${e.jobId} after ${e.latencyMs.toFixed(0)} ms`;
    case 'share':
      return `share ${e.verdict}${e.reason ? ` (${e.reason})` : ''}: difficulty ${formatDifficulty(e.difficulty)} on job ${e.jobId}`;
    case 'block-candidate':
      return `*** BLOCK CANDIDATE *** nonce ${e.nonce} hash ${e.hash} (difficulty ${formatDifficulty(e.difficulty)})`;
    case 'best':
      return `new best difficulty ${formatDifficulty(e.difficulty)}${e.ever ? ' (all time)' : ' (this session)'}`;
    case 'hardware-error':
      return `hardware error: the core reported nonce ${e.nonce}, which does not check out`;
    case 'message':
      return `pool says: ${e.text}`;
  }
}


/** How loud an event is in a log: faults are errors, lost connections and rejects warnings. */
export function eventLevel(e: MinerEvent): LogLevel {
  switch (e.type) {
    case 'core-fault':
    case 'auth-failed':
    case 'hardware-error':
      return 'error';
    case 'disconnected':
    case 'block-candidate':
      return 'warn';
    case 'share':
      return e.verdict === 'accepted' ? 'info' : 'warn';
    case 'job-switch':
      return 'debug';
    case 'core-ready':
    case 'connected':
    case 'job':
    case 'best':
    case 'message':
      return 'info';
    default:
      // A new MinerEvent fails to compile here until it is given a level.
      return e satisfies never;
  }
}
