import { describe, expect, it } from 'vitest';
import { simulatorAvailable } from '../../host/rtl/simulators.ts';
import { kilohash } from '../helpers/cli.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };
import { hasSimulator } from '../helpers/simulators.ts';

const genesis = blocks.blocks[0]!;

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.trim().split('\n').map((l) => JSON.parse(l));
}

describe('kilohash scan', () => {
  it('finds the genesis block nonce on the model and prints nonce, hash and difficulty', () => {
    const r = kilohash(['scan', '--header', genesis.header, '--start', String(genesis.nonce - 5000), '--count', '10000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    const found = lines.filter((l) => !l.summary);
    expect(found).toEqual([{ nonce: genesis.nonce, hash: genesis.hash, difficulty: expect.any(Number) }]);
    expect(found[0]!.difficulty).toBeGreaterThan(2000); // genesis hash ≈ difficulty 2536
    expect(lines.at(-1)).toMatchObject({ summary: true, core: 'model', scanned: 10000, found: 1, hwErrors: 0, complete: true });
  });

  it.skipIf(!hasSimulator('verilator'))('gives the same answer on the RTL under Verilator, with 2 engines and a lower threshold', () => {
    const args = ['scan', '--header', genesis.header, '--start', String(genesis.nonce - 1000), '--count', '2000', '--threshold-bits', '12', '--json'];
    const model = jsonLines(kilohash(args).stdout);
    const rtl = jsonLines(kilohash([...args, '--core', 'verilator', '--engines', '2'], 180_000).stdout);
    const nonces = (ls: Array<Record<string, unknown>>) => ls.filter((l) => !l.summary).map((l) => l.nonce).sort();
    expect(nonces(rtl)).toEqual(nonces(model));
    expect(nonces(rtl)).toContain(genesis.nonce);
    expect(rtl.at(-1)).toMatchObject({ core: 'verilator', engines: 2, scanned: 2000 });
  }, 180_000);

  it.skipIf(!hasSimulator('verilator'))('runs an ECP5 part\'s own pipelined build with --device, with the same answers as the model', () => {
    const args = ['scan', '--header', genesis.header, '--start', String(genesis.nonce - 1000), '--count', '2000', '--threshold-bits', '12', '--json'];
    const model = jsonLines(kilohash(args).stdout);
    const r = kilohash([...args, '--core', 'verilator', '--device', 'ecp5-85f'], 600_000);
    expect(r.code, r.stderr).toBe(0);
    const rtl = jsonLines(r.stdout);
    const nonces = (ls: Array<Record<string, unknown>>) => ls.filter((l) => !l.summary).map((l) => l.nonce).sort();
    expect(nonces(rtl)).toEqual(nonces(model));
    expect(nonces(rtl)).toContain(genesis.nonce);
    // The 85F's build: one engine, a nonce every clock.
    expect(rtl.at(-1)).toMatchObject({ core: 'verilator', engines: 1, scanned: 2000, hwErrors: 0 });
  }, 600_000);

  it.each([
    [['--device', 'ecp5-85f'], /--device, --loop and --stages build the RTL: use them with --core verilator or icarus/],
    [['--core', 'icarus', '--device', 'ecp5-85f', '--engines', '2'], /the pipelined core is one engine/],
    [['--core', 'icarus', '--device', 'ecp5-99f'], /--device.*expected one of up5k, hx8k, ecp5-12f, ecp5-25f, ecp5-45f, ecp5-85f/],
    [['--core', 'icarus', '--loop', '1', '--stages', '12'], /--stages: with --loop 1 a hash has 64, 32 or 16 stages/],
  ])('refuses the RTL build %j', (flags, message) => {
    const r = kilohash(['scan', '--header', genesis.header, '--count', '10', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('says how many engines the RTL can have instead of building a broken one', () => {
    const r = kilohash(['scan', '--header', genesis.header, '--count', '10', '--core', 'icarus', '--engines', '9']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the RTL core has 1 to 8 engines, not 9/);
  });

  it('counts only the scanned range, not the self-test it ran first', () => {
    const r = kilohash(['scan', '--header', genesis.header, '--start', String(genesis.nonce - 1000), '--count', '2000', '--self-test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ summary: true, scanned: 2000, found: 1, complete: true });
  });

  it('prints a readable report without --json', () => {
    const r = kilohash(['scan', '--header', genesis.header, '--start', `0x${(genesis.nonce - 100).toString(16)}`, '--count', '200']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`found nonce ${genesis.nonce}`);
    expect(r.stdout).toMatch(/scanned 200 nonces in .* found 1, hardware errors 0/);
    expect(r.stdout).toContain("the header's own nonce");
  });

  it.each([
    [['scan'], /--header/],
    [['scan', '--header', 'abcd'], /--header/],
    [['scan', '--header', genesis.header, '--core', 'fpga'], /--core/],
    [['scan', '--header', genesis.header, '--start', '-1'], /--start/],
    [['scan', '--header', genesis.header, '--start', '4294967295', '--count', '2'], /runs past the last nonce/],
    [['scan', '--header', genesis.header, '--count', '0'], /--count/],
    [['scan', '--header', genesis.header, '--engines', '0'], /--engines/],
    [['scan', '--header', genesis.header, '--threshold-bits', '300'], /--threshold-bits/],
  ])('refuses bad input %j with exit 2 and a message', (args, message) => {
    const r = kilohash(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
