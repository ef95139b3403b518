import { describe, expect, it } from 'vitest';
import { kilohash } from '../helpers/cli.ts';

describe('kilohash bench', () => {
  it('--json reports both rates and their ratio from one run', () => {
    const r = kilohash(['bench', '--seconds', '0.5', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const s = report.sha256d;
    expect(s.work.noncesPerSecond).toBeGreaterThan(0);
    expect(s.nodeCrypto.noncesPerSecond).toBeGreaterThan(0);
    expect(s.ratio).toBeCloseTo(s.work.noncesPerSecond / s.nodeCrypto.noncesPerSecond, 9);
  });
  it('refuses a bad --seconds', () => {
    expect(kilohash(['bench', '--seconds', 'abc']).code).toBe(2);
  });
});
