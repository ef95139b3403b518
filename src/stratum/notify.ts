/**
 * Validation of `mining.notify` params into a MiningJob. Every field is checked for type and
 * exact length, and an error names the field, because a pool's malformed job must be refused
 * with a message a user can act on — never half-used.
 */
import { describeValue, hexToBytes, hexToU32 } from '../work/bytes.ts';
import { InputError } from '../work/errors.ts';
import { stratumPrevHashToHeader, type MiningJob } from '../work/job.ts';

/** Coinbase parts are bounded so a hostile pool cannot make us allocate without limit. */
export const MAX_COINBASE_PART_BYTES = 64 * 1024;
/** A branch of 32 levels covers 2^32 transactions; more is not a real block. */
export const MAX_MERKLE_BRANCH = 32;

export const NOTIFY_PARAM_NAMES = [
  'job_id',
  'prevhash',
  'coinb1',
  'coinb2',
  'merkle_branch',
  'version',
  'nbits',
  'ntime',
  'clean_jobs',
] as const;

/**
 * The job in a notify's params. Params after the nine defined ones are ignored, as ESP-Miner
 * does (some pools append their own); fewer, or a malformed one of the nine, is refused.
 */
export function parseNotifyParams(params: unknown): MiningJob {
  if (!Array.isArray(params)) throw new InputError('mining.notify', `params must be an array, got ${describeValue(params)}`);
  if (params.length < NOTIFY_PARAM_NAMES.length) {
    throw new InputError(
      'mining.notify',
      `expected ${NOTIFY_PARAM_NAMES.length} params (${NOTIFY_PARAM_NAMES.join(', ')}), got ${params.length}`,
    );
  }
  const [jobId, prevhash, coinb1, coinb2, branch, version, nbits, ntime, clean] = params as unknown[];
  if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 128) {
    throw new InputError('job_id', `must be a non-empty string of at most 128 characters, got ${describeValue(jobId)}`);
  }
  if (!Array.isArray(branch)) throw new InputError('merkle_branch', `must be an array, got ${describeValue(branch)}`);
  if (branch.length > MAX_MERKLE_BRANCH) {
    throw new InputError('merkle_branch', `has ${branch.length} entries, at most ${MAX_MERKLE_BRANCH} are possible`);
  }
  if (typeof clean !== 'boolean') throw new InputError('clean_jobs', `must be true or false, got ${describeValue(clean)}`);
  return {
    jobId,
    prevHash: stratumPrevHashToHeader(hexToBytes(prevhash, 'prevhash', 32)),
    coinb1: boundedHex(coinb1, 'coinb1'),
    coinb2: boundedHex(coinb2, 'coinb2'),
    merkleBranch: branch.map((h, i) => hexToBytes(h, `merkle_branch[${i}]`, 32)),
    version: hexToU32(version, 'version'),
    nbits: hexToU32(nbits, 'nbits'),
    ntime: hexToU32(ntime, 'ntime'),
    cleanJobs: clean,
  };
}

function boundedHex(v: unknown, field: string): Uint8Array {
  if (typeof v === 'string' && v.length > 2 * MAX_COINBASE_PART_BYTES) {
    throw new InputError(field, `longer than ${MAX_COINBASE_PART_BYTES} bytes`);
  }
  return hexToBytes(v, field);
}
