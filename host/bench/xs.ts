/**
 * What the firmware costs on XS, for `kilohash bench`: the miner runs on xsnap against the
 * local pool with the model core on the host; three clean jobs are forced and each switch is
 * metered in computrons (xsnap's deterministic count of XS work — the same on any machine).
 */
import { DEMO_ADDRESS } from '../cli/commands/pool.ts';
import { keepAliveClock } from '../platform/node.ts';
import { LocalPool } from '../pool/server.ts';
import { startXsMiner } from '../xs/xs-miner.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';

export interface XsFigure {
  /** Computrons from a clean job's arrival until its first work is in the core, per switch. */
  cleanJobComputrons: number[];
  meanCleanJobComputrons: number;
  /** Computrons per second of steady mining (polls, results, shares). */
  computronsPerSecond: number;
  /** Most XS heap slots live after a delivery, code included (xsnap's currentHeapCount). */
  maxHeapCount: number;
  bundleBytes: number;
  sharesAccepted: number;
}

export async function xsCost(seconds: number): Promise<XsFigure> {
  const pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0005, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
  const port = await pool.start();
  const link = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
  const miner = await startXsMiner({ poolUrl: `stratum+tcp://127.0.0.1:${port}`, user: `${DEMO_ADDRESS}.bench`, link });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await sleep(1000); // connected, first job loaded
    const c0 = miner.cost.computrons;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const steady = ((miner.cost.computrons - c0) * 1000) / (performance.now() - t0);
    for (let i = 0; i < 3; i++) {
      (pool as unknown as { makeJob(clean: boolean): void }).makeJob(true);
      await sleep(300);
    }
    const st = await miner.status();
    const jobs = miner.cost.cleanJobComputrons.slice(1); // the first one is the session's start
    return {
      cleanJobComputrons: jobs,
      meanCleanJobComputrons: jobs.length ? jobs.reduce((a, b) => a + b, 0) / jobs.length : 0,
      computronsPerSecond: steady,
      maxHeapCount: miner.cost.maxHeapCount,
      bundleBytes: miner.bundleBytes,
      sharesAccepted: st?.shares.accepted ?? 0,
    };
  } finally {
    await miner.stop();
    link.close();
    await pool.stop();
  }
}
