import { describe, expect, it } from 'vitest';
import { buildTestbench, runTestbench, simulatorAvailable, type Simulator } from '../../host/hdl/simulators.ts';
import { hexToBytes, readU32LE, u32ToHex } from '../../src/work/bytes.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { headerWork, wordsToHex } from '../../src/work/header-work.ts';
import blocks from '../fixtures/blocks.json' with { type: 'json' };

const SOURCES = ['tb/tb_engine.v', 'kh_engine.v', 'kh_sha256_round.v', 'kh_sha256_k.v', 'kh_sha256_schedule.v'];

/** Leading zero bits of a hash read as a little-endian number. */
function leadingZeroBits(hash: Uint8Array): number {
  let n = 0;
  for (let i = 31; i >= 0; i--) {
    const b = hash[i]!;
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

function workFor(headerHex: string) {
  const header = hexToBytes(headerHex);
  const work = headerWork(header);
  return {
    header,
    midstate: wordsToHex(work.midstate),
    tail: wordsToHex(work.tail),
    nonce: readU32LE(header, 76),
  };
}

function scan(sim: Simulator, w: ReturnType<typeof workFor>, first: number, last: number, threshold: number, stride = 1) {
  const cmd = buildTestbench(sim, 'tb_engine', SOURCES);
  const out = runTestbench(cmd, { midstate: w.midstate, tail: w.tail, first: u32ToHex(first), last: u32ToHex(last), threshold, stride });
  const found = [...out.matchAll(/^FOUND ([0-9a-f]{8})$/gm)].map((m) => Number.parseInt(m[1]!, 16));
  const done = /^DONE hashed=(\d+) cycles=(\d+)$/m.exec(out);
  if (!done) throw new Error(`testbench did not finish:\n${out}`);
  return { found, hashed: Number(done[1]), cycles: Number(done[2]) };
}

// CI installs both simulators; a developer machine without one skips that half with a notice.
const sims = (['icarus', 'verilator'] as const).filter((s) => {
  const ok = simulatorAvailable(s);
  if (!ok && process.env.CI) throw new Error(`${s} is missing on CI`);
  if (!ok) console.warn(`skipping ${s} RTL tests: not installed (apt-get install iverilog verilator)`);
  return ok;
});

describe.each(sims)('kh_engine under %s', (sim) => {
  it.each(blocks.blocks.map((b) => [b.name, b] as const))('finds the real nonce of %s', (_name, b) => {
    const w = workFor(b.header);
    const first = Math.max(0, w.nonce - 100);
    const r = scan(sim, w, first, first + 199, 32);
    expect(r.found).toContain(w.nonce);
    expect(r.hashed).toBe(200);
    expect(r.cycles).toBe(200 * 128 + 1); // + the ARM cycle that checks the range
  });

  it('reports exactly the nonces whose hash meets a low threshold (checked in software)', () => {
    const w = workFor(blocks.blocks[3]!.header);
    const threshold = 6;
    const r = scan(sim, w, 1000, 1299, threshold);
    const hasher = new NonceHasher(w.header);
    const out = new Uint8Array(32);
    const expected: number[] = [];
    for (let n = 1000; n <= 1299; n++) if (leadingZeroBits(hasher.hash(n, out)) >= threshold) expected.push(n);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.found).toEqual(expected);
  });

  it('walks a strided share of the range, as one of several engines does', () => {
    const w = workFor(blocks.blocks[1]!.header);
    const r = scan(sim, w, w.nonce - 6, w.nonce + 6, 32, 3);
    expect(r.hashed).toBe(5);
    expect(r.found).toEqual([w.nonce]);
    expect(scan(sim, w, w.nonce - 5, w.nonce + 6, 32, 3).found).toEqual([]); // nonce not on this engine's stride
  });
});

describe.skipIf(!sims.includes('verilator'))('RTL lint', () => {
  it('verilator --lint-only -Wall is clean for the engine', async () => {
    const { spawnSync } = await import('node:child_process');
    const { HDL_DIR } = await import('../../host/hdl/simulators.ts');
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'kh_engine', ...SOURCES.slice(1)], { cwd: HDL_DIR, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
