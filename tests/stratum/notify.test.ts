import { describe, expect, it } from 'vitest';
import { parseNotifyParams } from '../../src/stratum/notify.ts';
import jobs from '../fixtures/jobs.json' with { type: 'json' };

const good = jobs.slush2023.notify.params as unknown[];
const withParam = (i: number, v: unknown) => good.map((p, j) => (j === i ? v : p));

describe('mining.notify validation', () => {
  it('parses a real job', () => {
    const job = parseNotifyParams(good);
    expect(job.jobId).toBe('slush1');
    expect(job.merkleBranch).toHaveLength(13);
    expect(job.version).toBe(0x20000004);
    expect(job.nbits).toBe(0x1705ae3a);
    expect(job.ntime).toBe(0x647025b5);
    expect(job.cleanJobs).toBe(true);
  });

  it('ignores params after the nine defined ones, as ESP-Miner does, and still checks the nine', () => {
    expect(parseNotifyParams([...good, 'pool-extra', 42])).toEqual(parseNotifyParams(good));
    expect(() => parseNotifyParams([...withParam(1, '00'), 'pool-extra'])).toThrow('prevhash: expected 32 bytes');
  });

  it.each([
    ['missing params', good.slice(0, 8), 'mining.notify: expected 9 params'],
    ['not an array', { a: 1 }, 'mining.notify: params must be an array'],
    ['empty job id', withParam(0, ''), 'job_id: must be a non-empty string'],
    ['numeric job id', withParam(0, 7), 'job_id'],
    ['short prevhash', withParam(1, '00'.repeat(31)), 'prevhash: expected 32 bytes'],
    ['non-hex prevhash', withParam(1, 'zz'.repeat(32)), "prevhash: not hex: 'z'"],
    ['odd coinb1', withParam(2, 'abc'), 'coinb1: odd number of hex digits'],
    ['coinb2 not a string', withParam(3, 5), 'coinb2: expected a hex string'],
    ['branch not array', withParam(4, 'ab'), 'merkle_branch: must be an array'],
    ['short branch entry', withParam(4, ['00']), 'merkle_branch[0]: expected 32 bytes'],
    ['long version', withParam(5, '2000000400'), 'version: expected 4 bytes'],
    ['short nbits', withParam(6, '1705ae'), 'nbits: expected 4 bytes'],
    ['bad ntime', withParam(7, 'nothex!!'), 'ntime: not hex'],
    ['clean_jobs string', withParam(8, 'true'), 'clean_jobs: must be true or false'],
    ['over-long branch', withParam(4, Array(33).fill('00'.repeat(32))), 'merkle_branch: has 33 entries'],
    ['huge coinb1', withParam(2, '00'.repeat(70000)), 'coinb1: longer than'],
  ])('%s names the field', (_name, params, message) => {
    expect(() => parseNotifyParams(params)).toThrow(message);
  });
});
