/**
 * Measures several hashing loops side by side in one run: they take turns in short slices, so
 * a noisy shared machine slows all of them alike and the ratio between them stays meaningful.
 */
export interface Contender {
  name: string;
  /** Hash `count` nonces starting at `start`; returns a value that depends on the work done. */
  run(start: number, count: number): number;
}

export interface ContenderResult {
  name: string;
  nonces: number;
  seconds: number;
  noncesPerSecond: number;
}

export function measureSideBySide(contenders: Contender[], totalSeconds: number, sliceSeconds = 0.1): ContenderResult[] {
  const totals = contenders.map((c) => ({ name: c.name, nonces: 0, ns: 0n, batch: 256 }));
  let sink = 0;
  // Warm up so the JIT has compiled every loop before timing starts.
  for (const c of contenders) sink ^= c.run(0, 4096);
  const deadline = process.hrtime.bigint() + BigInt(Math.round(totalSeconds * 1e9));
  let nonce = 0;
  while (process.hrtime.bigint() < deadline) {
    contenders.forEach((c, i) => {
      const t = totals[i]!;
      const sliceEnd = process.hrtime.bigint() + BigInt(Math.round(sliceSeconds * 1e9));
      while (true) {
        const t0 = process.hrtime.bigint();
        sink ^= c.run(nonce, t.batch);
        const t1 = process.hrtime.bigint();
        t.ns += t1 - t0;
        t.nonces += t.batch;
        nonce = (nonce + t.batch) >>> 0;
        if (t1 >= sliceEnd) break;
        // Grow the batch until one call takes ~1 ms, so timer reads are noise.
        if (t1 - t0 < 1_000_000n) t.batch *= 2;
      }
    });
  }
  if (sink === 0.5) console.log(sink); // keep `sink` observable so no loop is optimised away
  return totals.map((t) => {
    const seconds = Number(t.ns) / 1e9;
    return { name: t.name, nonces: t.nonces, seconds, noncesPerSecond: t.nonces / seconds };
  });
}
