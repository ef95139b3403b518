import { describe, expect, it } from 'vitest';
import { describePipeline, hash2Stages, pipelineFromFlags, pipelineStages } from '../../host/rtl/pipeline.ts';

// The shape the synth report and the conformance suite print must be the RTL's: hash 2 ends
// with the stage that applies round 60 (kh_pipe_engine's LAST_ROUND), so it is shorter than
// hash 1 whenever a stage applies fewer than four rounds to a block.
describe('the pipelined core\'s shape', () => {
  it.each([
    [{ loop: 1, rounds: 1 }, 64, 61],
    [{ loop: 1, rounds: 2 }, 32, 31],
    [{ loop: 1, rounds: 4 }, 16, 16],
    [{ loop: 2, rounds: 1 }, 32, 31],
    [{ loop: 64, rounds: 1 }, 1, 1],
  ])('%o: hash 1 in %i stages, hash 2 in %i', (p, one, two) => {
    expect(pipelineStages(p)).toBe(one);
    expect(hash2Stages(p)).toBe(two);
  });

  it('says both hashes\' stage counts when they differ, one when they agree', () => {
    expect(describePipeline({ loop: 1, rounds: 2 })).toBe('a nonce every clock, 2 rounds a clock: 32 stages for hash 1, 31 for hash 2');
    expect(describePipeline({ loop: 16, rounds: 1 })).toBe('a nonce every 16 clocks, 1 round a clock: 4 stages a hash');
    expect(describePipeline({ loop: 64, rounds: 1 })).toBe('a nonce every 64 clocks, 1 round a clock: 1 stage a hash');
  });

  it('takes --stages as stages per hash 1 and refuses a count no build has', () => {
    expect(pipelineFromFlags(1, 32)).toEqual({ loop: 1, rounds: 2 });
    expect(() => pipelineFromFlags(1, 20)).toThrow(/64, 32 or 16 stages/);
  });
});
