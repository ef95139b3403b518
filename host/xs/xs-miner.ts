/**
 * Runs the firmware's miner on the real XS engine (xsnap, built from Moddable's XS sources by
 * `npm ci`), with this process as its platform: TCP sockets, timers and the mining core are
 * served over xsnap's command channel (host/xs/controller.ts is the other side). Measures what
 * XS spends: computrons (xsnap's deterministic metering) per delivery and the live heap.
 */
import '@endo/init';
import { xsnap } from '@agoric/xsnap';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import tmp from 'tmp';
import type { CoreLink } from '../../src/core/link.ts';
import type { MinerStatus } from '../../src/miner/status.ts';
import { bytesToHex, hexToBytes } from '../../src/work/bytes.ts';

const CONTROLLER = fileURLToPath(new URL('./controller.ts', import.meta.url));

export interface XsMinerOptions {
  poolUrl: string;
  user: string;
  /** The core, on the host side (the model link, or a co-simulation). */
  link: CoreLink;
  selfTest?: boolean;
  onEvent?(e: { type: string; [k: string]: unknown }): void;
  onLog?(level: string, text: string): void;
}

export interface XsCost {
  deliveries: number;
  computrons: number;
  /** Most XS heap slots live after any delivery (xsnap's currentHeapCount). */
  maxHeapCount: number;
  /** Computrons from a clean job's arrival to its first work reaching the core. */
  cleanJobComputrons: number[];
}

export interface XsMiner {
  status(): Promise<MinerStatus | null>;
  cost: XsCost;
  bundleBytes: number;
  stop(): Promise<void>;
}

/** The controller bundled as one script for XS (no modules loader there). */
export async function bundleController(): Promise<string> {
  const r = await build({ entryPoints: [CONTROLLER], bundle: true, format: 'iife', target: 'es2022', write: false, minify: false, logLevel: 'silent' });
  return r.outputFiles[0]!.text;
}

export async function startXsMiner(o: XsMinerOptions): Promise<XsMiner> {
  const code = await bundleController();
  const sockets = new Map<number, net.Socket>();
  const timers = new Map<number, NodeJS.Timeout>();
  const cost: XsCost = { deliveries: 0, computrons: 0, maxHeapCount: 0, cleanJobComputrons: [] };
  let cleanJobSince: number | null = null;
  let stopped = false;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  // Deliveries into XS are strictly one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const deliver = (msg: Record<string, unknown>): Promise<string> => {
    const run = queue.then(async () => {
      if (stopped && msg.ev !== 'stop' && msg.ev !== 'status') return '{}';
      const r = await worker.issueStringCommand(JSON.stringify({ ...msg, now: performance.now() }));
      const u = r.meterUsage as { compute: number | null; currentHeapCount: number | null };
      cost.deliveries++;
      cost.computrons += u.compute ?? 0;
      cost.maxHeapCount = Math.max(cost.maxHeapCount, u.currentHeapCount ?? 0);
      if (cleanJobSince !== null) cleanJobSince += u.compute ?? 0;
      return r.reply;
    });
    queue = run.catch(() => {});
    return run;
  };

  // What XS asks of its host. Runs while XS waits, so it must not deliver into XS itself.
  const handleCommand = async (request: Uint8Array): Promise<Uint8Array> => {
    const m = JSON.parse(decoder.decode(request)) as Record<string, unknown>;
    let reply: Record<string, unknown> = {};
    switch (m.op) {
      case 'timer': {
        const id = m.id as number;
        timers.set(id, setTimeout(() => { timers.delete(id); void deliver({ ev: 'timer', id }); }, m.ms as number));
        break;
      }
      case 'cancel':
        clearTimeout(timers.get(m.id as number));
        timers.delete(m.id as number);
        break;
      case 'connect': {
        const id = m.id as number;
        const s = net.connect({ host: m.host as string, port: m.port as number });
        sockets.set(id, s);
        let closed = false;
        const close = (reason: string) => {
          if (closed) return;
          closed = true;
          sockets.delete(id);
          void deliver({ ev: 'closed', id, reason });
        };
        s.on('connect', () => void deliver({ ev: 'connected', id }));
        s.on('data', (d: Buffer) => void deliver({ ev: 'data', id, data: d.toString('hex') }));
        s.on('error', (e) => close(e.message));
        s.on('close', () => close('connection closed by the pool'));
        break;
      }
      case 'write':
        sockets.get(m.id as number)?.write(Buffer.from(m.data as string, 'hex'));
        break;
      case 'close':
        sockets.get(m.id as number)?.destroy();
        sockets.delete(m.id as number);
        break;
      case 'spi': {
        const frame = hexToBytes(m.frame as string);
        const p = o.link.transfer(frame);
        if (p) await p;
        reply = { frame: bytesToHex(frame), ready: o.link.ready?.read() ?? false };
        break;
      }
      case 'event': {
        const e = m.event as { type: string; clean?: boolean };
        if (e.type === 'job' && e.clean) cleanJobSince = 0;
        if (e.type === 'job-switch' && cleanJobSince !== null) {
          cost.cleanJobComputrons.push(cleanJobSince);
          cleanJobSince = null;
        }
        o.onEvent?.(e);
        break;
      }
      case 'log':
        o.onLog?.(m.level as string, m.text as string);
        break;
    }
    return encoder.encode(JSON.stringify(reply));
  };

  const worker = await xsnap({
    os: os.type(),
    spawn,
    fs: { ...fsp, createReadStream: fs.createReadStream, tmpName: tmp.tmpName } as never,
    handleCommand,
    name: 'kilohash-firmware',
    stderr: 'inherit',
    stdout: 'inherit',
  });
  await worker.evaluate(code);
  const stopReady = o.link.ready?.onRise?.(() => void deliver({ ev: 'ready' }));
  await deliver({
    ev: 'start',
    settings: { stratumURL: o.poolUrl, stratumUser: o.user, stratumPassword: 'x' },
    tuning: { selfTest: o.selfTest ?? true, stratum: { backoff: { initialMs: 50, maxMs: 1000 } } },
  });

  return {
    cost,
    bundleBytes: code.length,
    async status() {
      const reply = await deliver({ ev: 'status' });
      return JSON.parse(reply) as MinerStatus | null;
    },
    async stop() {
      stopReady?.();
      await deliver({ ev: 'stop' });
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      for (const s of sockets.values()) s.destroy();
      await queue;
      await worker.close();
    },
  };
}
