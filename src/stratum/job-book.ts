/**
 * The jobs a pool still accepts shares for, each with the context it arrived in: the share
 * difficulty then in force, extranonce1 and its size, and the version mask. clean_jobs drops
 * all older jobs; otherwise older jobs stay valid, up to a bound (the oldest is forgotten).
 */
import type { MiningJob } from '../work/job.ts';

export interface ActiveJob {
  readonly job: MiningJob;
  readonly extranonce1: Uint8Array;
  readonly extranonce2Size: number;
  /** The pool difficulty in force when the job arrived. */
  readonly difficulty: number;
  /** Version bits the miner may roll (0: none). */
  readonly versionMask: number;
  /** Arrival time (clock ms). */
  readonly receivedAt: number;
}

export const MAX_JOBS = 4;

/**
 * The difficulty a share of `job` must reach while `current` is in force: both. Pools differ
 * in which one they apply to a job sent before a mining.set_difficulty (the one the job came
 * with, or the one in force when the share arrives), so a share that misses either is a likely
 * reject and is not sent (docs/stratum.md). The one place this rule lives: the client's submit
 * and the miner's share test both ask here.
 */
export function requiredShareDifficulty(job: ActiveJob, current: number): number {
  return Math.max(job.difficulty, current);
}

export class JobBook {
  private readonly jobs = new Map<string, ActiveJob>();
  private newest: ActiveJob | null = null;

  add(job: ActiveJob): void {
    if (job.job.cleanJobs) this.jobs.clear();
    this.jobs.delete(job.job.jobId); // a reused id replaces the old job and becomes the newest
    this.jobs.set(job.job.jobId, job);
    while (this.jobs.size > MAX_JOBS) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
    }
    this.newest = job;
  }

  get(jobId: string): ActiveJob | undefined {
    return this.jobs.get(jobId);
  }

  get current(): ActiveJob | null {
    return this.newest;
  }

  clear(): void {
    this.jobs.clear();
    this.newest = null;
  }

  get size(): number {
    return this.jobs.size;
  }
}
