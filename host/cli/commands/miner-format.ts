/** Human-readable lines for the miner's events and status (`kilohash mine`, `kilohash demo`). */
import type { MinerEvent } from '../../../src/miner/miner.ts';
import { formatDifficulty } from '../../../src/miner/status.ts';
import type { MinerStatus } from '../../../src/miner/status.ts';

export function formatHashRate(h: number): string {
  const units: Array<[number, string]> = [[1e12, 'TH/s'], [1e9, 'GH/s'], [1e6, 'MH/s'], [1e3, 'kH/s']];
  for (const [v, u] of units) if (h >= v) return `${(h / v).toFixed(2)} ${u}`;
  return `${h.toFixed(0)} H/s`;
}

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return 'never';
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(1)} h`;
  if (s < 2 * 365.25 * 86400) return `${(s / 86400).toFixed(0)} days`;
  const years = s / (365.25 * 86400);
  return years < 1e6 ? `${years.toFixed(0)} years` : `${years.toExponential(2)} years`;
}

export function formatOdds(p: number): string {
  if (p >= 0.01) return `${(100 * p).toFixed(1)} %`;
  if (p <= 0) return '0';
  return `1 in ${formatDifficulty(1 / p)}`;
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

export function statusLine(s: MinerStatus): string {
  const parts = [
    `${s.state}`,
    `${formatHashRate(s.hashRate.counter.m1)} (10 min ${formatHashRate(s.hashRate.counter.m10)}, shares ${formatHashRate(s.hashRate.shares.m10)})`,
    `shares ${s.shares.accepted}/${s.shares.rejected}/${s.shares.stale} acc/rej/stale`,
    `best ${formatDifficulty(s.bestDifficulty.session)}`,
    `hw ${s.core.hardwareErrors}`,
  ];
  if (s.odds) parts.push(`block odds/day ${formatOdds(s.odds.perDay)}`);
  return parts.join(' · ');
}
