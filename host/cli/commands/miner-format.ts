/** Human-readable lines for the miner's events and status (`kilohash mine`, `kilohash demo`). */
import { describeEvent, formatHashRate } from '../../../src/miner/event-text.ts';
import { formatDifficulty } from '../../../src/miner/status.ts';
import type { MinerStatus } from '../../../src/miner/status.ts';

export { describeEvent, formatHashRate };

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
