import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kilohash } from '../helpers/cli.ts';
import jobs from '../fixtures/jobs.json' with { type: 'json' };

const g = jobs.genesis;
const genesisArgs = ['--notify', JSON.stringify(g.notify), '--extranonce1', g.extranonce1, '--extranonce2', g.extranonce2];

describe('kilohash job', () => {
  it('explains the genesis job byte-exactly in JSON', () => {
    const r = kilohash(['job', ...genesisArgs, '--nonce', String(g.nonce), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.merkleRoot).toBe(g.expect.merkleRoot);
    expect(out.header).toBe(g.expect.header);
    expect(out.hash).toBe(g.expect.hash);
    expect(out.coinbase).toBe(g.notify.params[2] + g.extranonce1 + g.extranonce2 + g.notify.params[3]);
    expect(out.midstate).toMatch(/^[0-9a-f]{64}$/);
    expect(out.difficulty).toBeCloseTo(2536.4263, 3);
    expect(out.meetsNetworkTarget).toBe(true);
  });

  it('reads the notify from @file, takes a 0x nonce, version bits and ntime', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kilohash-'));
    const file = join(dir, 'notify.json');
    const s = jobs.slush2023;
    writeFileSync(file, JSON.stringify(s.notify) + '\n');
    const r = kilohash(['job', '--notify', `@${file}`, '--extranonce1', s.extranonce1, '--extranonce2', s.extranonce2,
      '--nonce', '0x0a029ed1', '--difficulty', '512', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.difficulty).toBeGreaterThan(683);
    expect(out.meetsShareTarget).toBe(true);
    expect(out.nonceHex).toBe('0a029ed1');

    const rolled = JSON.parse(kilohash(['job', '--notify', `@${file}`, '--extranonce1', s.extranonce1, '--extranonce2', s.extranonce2,
      '--version-bits', '00002000', '--ntime', '647025b6', '--json']).stdout);
    expect(rolled.version).toBe('20002004');
    expect(rolled.ntime).toBe('647025b6');
    expect(rolled.header.slice(0, 8)).toBe('04200020');
  });

  it('rebuilds --version-bits as pools do on a job that signals bit 28 (30000000)', () => {
    const s = jobs.slush2023;
    const notify = JSON.stringify({ ...s.notify, params: s.notify.params.map((p, i) => (i === 5 ? '30000000' : p)) });
    const run = (...extra: string[]) => {
      const r = kilohash(['job', '--notify', notify, '--extranonce1', s.extranonce1, '--extranonce2', s.extranonce2, '--json', ...extra]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout);
    };
    // What kilohash submits for the header 30002000: XOR and OR pools agree.
    const agreed = run('--version-bits', '00002000');
    expect(agreed).toMatchObject({ version: '30002000', versionRule: 'xor' });
    expect(agreed.versionUnderOtherRule).toBeUndefined();
    expect(agreed.header.slice(0, 8)).toBe('00200030');
    // A field that repeats the job's bit 28 (header 30002000 submitted whole): XOR clears it.
    expect(run('--version-bits', '10002000')).toMatchObject({ version: '20002000', versionUnderOtherRule: '30002000' });
    expect(run('--version-bits', '10002000', '--version-rule', 'or')).toMatchObject({ version: '30002000', versionRule: 'or', versionUnderOtherRule: '20002000' });
    expect(kilohash(['job', '--notify', notify, '--extranonce1', s.extranonce1, '--extranonce2', s.extranonce2, '--version-bits', '00002000', '--version-rule', 'and']).stderr)
      .toMatch(/--version-rule.*expected one of xor, or/);
  });

  it('prints labelled lines in human mode', () => {
    const r = kilohash(['job', ...genesisArgs, '--nonce', String(g.nonce)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^merkle root\s+4a5e1e4b/m);
    expect(r.stdout).toMatch(/^hash\s+000000000019d668/m);
    expect(r.stdout).toMatch(/^block\?\s+yes/m);
  });

  it.each([
    ['odd extranonce1', ['--extranonce1', 'abc'], /extranonce1: odd number of hex digits/],
    ['non-hex extranonce2', ['--extranonce2', 'zz'], /extranonce2: not hex/],
    ['wrong extranonce2 size', ['--extranonce2-size', '8'], /extranonce2: expected 8 bytes/],
    ['nonce out of range', ['--nonce', '4294967296'], /--nonce.*out of the 32-bit range/],
    ['negative nonce', ['--nonce', '-5'], /--nonce/],
    ['short version bits', ['--version-bits', '2000'], /--version-bits.*8 hex digits/],
    ['bits outside the mask', ['--version-bits', '00000001'], /version-bits: 0x00000001 sets bits outside the version mask/],
    ['not JSON', ['--notify', '{oops'], /notify: not valid JSON/],
    ['wrong method', ['--notify', '{"id":1,"method":"mining.set_difficulty","params":[1]}'], /expected method 'mining.notify'/],
    ['missing params', ['--notify', JSON.stringify({ ...g.notify, params: g.notify.params.slice(0, 8) })], /mining.notify: expected 9 params/],
    ['short prevhash', ['--notify', JSON.stringify({ ...g.notify, params: g.notify.params.map((p, i) => (i === 1 ? '00' : p)) })], /prevhash: expected 32 bytes/],
    ['missing file', ['--notify', '@/nonexistent/notify.json'], /notify: cannot read file '\/nonexistent\/notify.json' \(ENOENT\)/],
  ])('%s: exit 2 with a message naming the field', (_name, override, message) => {
    const args = [...genesisArgs];
    for (let i = 0; i < override.length; i += 2) {
      const at = args.indexOf(override[i]!);
      if (at >= 0) args[at + 1] = override[i + 1]!;
      else args.push(override[i]!, override[i + 1]!);
    }
    const r = kilohash(['job', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a missing required flag is a usage error', () => {
    const r = kilohash(['job', '--extranonce1', '00', '--extranonce2', '00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--notify/);
  });
});

describe('kilohash (no command) and --help', () => {
  it('prints help and exits 0', () => {
    const r = kilohash([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: kilohash/);
    expect(kilohash(['job', '--help']).code).toBe(0);
  });
  it('an unknown command exits 2', () => {
    expect(kilohash(['frobnicate']).code).toBe(2);
  });
});
