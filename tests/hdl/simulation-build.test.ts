/**
 * A simulation build that fails says why, from the end of the tool's output, and keeps that
 * output in a file rather than in memory: the 85F's routed netlist made Verilator print about
 * a million warnings (330 MB), which overran the old in-memory buffer and killed the build unexplained.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSimulation } from '../../host/rtl/simulators.ts';
import { hasSimulator } from '../helpers/simulators.ts';

const dir = mkdtempSync(join(tmpdir(), 'kh-simbuild-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSimulator('icarus'))('a failed simulation build', () => {
  it('names the tool and quotes the end of its output, bounded, with the whole output\'s size', () => {
    // Thousands of errors, the one to find last: more output than the error quotes.
    const lines = Array.from({ length: 4000 }, (_, i) => `  wire w${i} = ;`);
    const source = join(dir, 'kh_broken.v');
    writeFileSync(source, `module kh_broken;\n${lines.join('\n')}\n  wire last_one_here = ;\nendmodule\n`);
    let error: Error | undefined;
    try {
      buildSimulation({ sim: 'icarus', top: 'kh_broken', sources: [], libraries: [source] });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^iverilog failed \(exit \d+\); the end of its output \(\d+ bytes in all\):/);
    expect(error!.message).toContain(`kh_broken.v:${lines.length + 2}:`);
    expect(error!.message.length).toBeLessThan(17 << 10);
    // Nothing half-built is left in the cache.
    expect(readdirSync(join(import.meta.dirname, '..', '..', 'build', 'sim')).filter((n) => n.includes('kh_broken'))).toEqual([]);
  });
});
