import { describe, expect, it } from 'vitest';
import { kilohash } from '../helpers/cli.ts';

describe('kilohash bench', () => {
  it('--json reports every rate and its ratio from one side-by-side run', () => {
    const r = kilohash(['bench', '--seconds', '0.5', '--no-cores', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const s = report.sha256d;
    expect(s.work.noncesPerSecond).toBeGreaterThan(0);
    expect(s.model.noncesPerSecond).toBeGreaterThan(0);
    expect(s.nodeCrypto.noncesPerSecond).toBeGreaterThan(0);
    expect(s.ratio).toBeCloseTo(s.work.noncesPerSecond / s.nodeCrypto.noncesPerSecond, 9);
    expect(s.modelRatio).toBeCloseTo(s.model.noncesPerSecond / s.nodeCrypto.noncesPerSecond, 9);
    expect(report.modelCore).toBeUndefined();
  });

  it('measures the model core (one thread and many), the co-simulation cycle rate and the firmware on XS', () => {
    const r = kilohash(['bench', '--seconds', '0.5', '--json'], 180_000);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.modelCore.single.noncesPerSecond).toBeGreaterThan(0);
    expect(report.modelCore.threaded.engines).toBeGreaterThanOrEqual(2);
    expect(report.modelCore.scaling).toBeCloseTo(report.modelCore.threaded.noncesPerSecond / report.modelCore.single.noncesPerSecond, 9);
    expect(report.xs.meanCleanJobComputrons).toBeGreaterThan(0);
    expect(report.xs.maxHeapCount).toBeGreaterThan(0);
    for (const c of report.cosim) {
      expect(['verilator', 'icarus']).toContain(c.simulator);
      if (!('skipped' in c)) expect(c.cyclesPerSecond).toBeGreaterThan(0);
    }
  }, 180_000);

  it('refuses a bad --seconds', () => {
    expect(kilohash(['bench', '--seconds', 'abc']).code).toBe(2);
  });
});
