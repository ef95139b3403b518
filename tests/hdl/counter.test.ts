/** kh_counter64 across the 2^32 boundary, as simulators see it and as the UP5K builds it (SB_MAC16). */
import { describe, expect, it } from 'vitest';
import { buildSimulation, runTestbench, UP5K_DSP_SIM } from '../../host/rtl/simulators.ts';
import { hasSimulator } from '../helpers/simulators.ts';

const BUILDS = {
  plain: {},
  'SB_MAC16 (UP5K)': UP5K_DSP_SIM,
};

describe.skipIf(!hasSimulator('icarus'))('kh_counter64 under icarus', () => {
  it.each(Object.entries(BUILDS))('%s: counts, carries into the high half in the same clock, clears', (_name, build) => {
    const cmd = buildSimulation({ sim: 'icarus', top: 'tb_counter64', sources: ['tb/tb_counter64.v', 'kh_counter64.v'], ...build });
    const out = runTestbench(cmd, {});
    expect(out).toMatch(/^DONE$/m);
    const values = [...out.matchAll(/^VALUE ([0-9a-f]{16})$/gm)].map((m) => BigInt(`0x${m[1]}`));
    expect(values).toEqual([0n, 0xfffffff0n, 0xffffffffn, 0x1_0000_0000n, 0x1_0000_0000n, 0x1_0000_0009n, 0n, 3n]);
  });
});
