/**
 * The behavioural model with one worker thread per engine (Node only). Frames, registers,
 * queue and FIFO stay in one CoreModel on the main thread; the workers only hash the nonce
 * stretches it hands out (CoreModel.claim/complete), so the model's behaviour is the same
 * with one engine or many — only faster.
 *
 * The worker's code is the generated scanner's own source, evaluated in the worker: no
 * TypeScript loader is needed there, and the workers hash with exactly the code the
 * single-threaded model uses.
 */
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../src/platform/interfaces.ts';
import type { CoreLink } from '../../src/core/link.ts';
import { type Claim, CoreModel, ModelReadyLine } from '../../src/core/model/core-model.ts';
import { scanNonces } from '../../src/core/model/nonce-scanner.generated.ts';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const scanNonces = ${scanNonces.toString()};
const hits = new Uint32Array(17);
parentPort.on('message', (m) => {
  const p = m.p;
  let hashed = 0;
  const found = [];
  while (hashed < m.count) {
    const n = scanNonces(p, (m.first + hashed) >>> 0, m.count - hashed, m.mask, hits);
    for (let i = 0; i < p[21]; i++) found.push(hits[i]);
    hashed += n;
  }
  parentPort.postMessage({ hashed, found });
});
`;

export interface ThreadedModelOptions {
  engines: number;
  clock: Clock;
  /** Nonces per claim handed to a worker (default 65536: tens of ms). */
  claimNonces?: number;
}

interface Engine {
  worker: Worker;
  claim: Claim | undefined;
}

export class ThreadedModelLink implements CoreLink {
  readonly model: CoreModel;
  readonly ready: ModelReadyLine;
  private readonly engines: Engine[] = [];
  private readonly claimNonces: number;
  private closed = false;

  constructor(options: ThreadedModelOptions) {
    this.model = new CoreModel({ engines: options.engines });
    this.claimNonces = options.claimNonces ?? 65536;
    for (let i = 0; i < options.engines; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const engine: Engine = { worker, claim: undefined };
      worker.on('message', (m: { hashed: number; found: number[] }) => this.done(engine, m.hashed, m.found));
      worker.on('error', (e) => {
        // A dead engine is a hung core as far as the driver can tell; it will reset.
        process.stderr.write(`kilohash: model engine thread failed: ${e.message}\n`);
      });
      this.engines.push(engine);
    }
    this.ready = new ModelReadyLine(this.model);
  }

  transfer(frame: Uint8Array): void {
    if (this.closed) throw new Error('model core link is closed');
    this.model.transfer(frame);
    this.ready.update(); // a popped result may have lowered it
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.engines.map((e) => e.worker.terminate()));
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const e of this.engines) {
      if (e.claim) continue;
      const c = this.model.claim(this.claimNonces);
      if (!c) return;
      e.claim = c;
      e.worker.postMessage({ p: c.work.scan, first: c.first, count: c.count, mask: c.work.mask });
    }
  }

  private done(e: Engine, hashed: number, found: number[]): void {
    const c = e.claim;
    e.claim = undefined;
    if (!c || this.closed) return;
    this.model.complete(c, hashed, found, found.length);
    this.ready.update();
    this.dispatch();
  }
}
