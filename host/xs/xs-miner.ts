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
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import tmp from 'tmp';
import type { CoreLink } from '../../src/core/link.ts';
import type { MinerOptions } from '../../src/miner/miner.ts';
import type { MinerStatus } from '../../src/miner/status.ts';
import type { Clock, Transport, TransportFactory } from '../../src/platform/interfaces.ts';
import { bytesToHex, hexToBytes } from '../../src/work/bytes.ts';
import { parseConsoleLine } from '../../src/app/console-line.ts';
import { keepAliveClock, nodeTransport } from '../platform/node.ts';

const CONTROLLER = fileURLToPath(new URL('./controller.ts', import.meta.url));

export interface XsMinerOptions {
  poolUrl: string;
  user: string;
  /** The core, on the host side (the model link, or a co-simulation). */
  link: CoreLink;
  selfTest?: boolean;
  /** Further settings (src/config/settings.ts names), e.g. the backup pool. */
  settings?: Record<string, unknown>;
  /** Miner tuning on top of the defaults below (poll interval, Stratum timings). */
  tuning?: Pick<MinerOptions, 'pollMs' | 'stratum'>;
  /** The console's status line this often instead of the board's minute (a test's patience). */
  consoleStatusSeconds?: number;
  /**
   * The time and timers the firmware sees (default: the host's), and its connections (default:
   * TCP). A soak passes a fake clock and an in-memory network: XS then runs a simulated day
   * as fast as its deliveries go.
   */
  clock?: Clock;
  transport?: TransportFactory;
  onEvent?(e: { type: string; [k: string]: unknown }): void;
  onLog?(level: string, text: string): void;
}

export interface XsCost {
  deliveries: number;
  computrons: number;
  /** Most XS heap slots live after any delivery (xsnap's currentHeapCount). */
  maxHeapCount: number;
  /** Heap slots live after the last delivery. */
  heapCount: number;
  /** Computrons from a clean job's arrival to its first work reaching the core. */
  cleanJobComputrons: number[];
}

export interface XsMiner {
  status(): Promise<MinerStatus | null>;
  /** One line typed on the firmware's console (console-session.ts); its reply, or null when the line is no command. */
  console(line: string): Promise<Record<string, unknown> | null>;
  /** Resolves once every delivery queued so far has run (a fake-clock soak steps with it). */
  idle(): Promise<void>;
  /** Runs XS's garbage collector; resolves with the heap slots still live after it. */
  liveHeap(): Promise<number>;
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
  const clock = o.clock ?? keepAliveClock;
  const transport = o.transport ?? nodeTransport;
  const sockets = new Map<number, Transport>();
  const timers = new Map<number, unknown>();
  const cost: XsCost = { deliveries: 0, computrons: 0, maxHeapCount: 0, heapCount: 0, cleanJobComputrons: [] };
  let cleanJobSince: number | null = null;
  let stopped = false;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  // Deliveries into XS are strictly one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const deliver = (msg: Record<string, unknown>): Promise<string> => {
    const run = queue.then(async () => {
      if (stopped && msg.ev !== 'stop' && msg.ev !== 'status') return '{}';
      const r = await worker.issueStringCommand(JSON.stringify({ ...msg, now: clock.now() }));
      const u = r.meterUsage as { compute: number | null; currentHeapCount: number | null };
      cost.deliveries++;
      cost.computrons += u.compute ?? 0;
      cost.heapCount = u.currentHeapCount ?? 0;
      cost.maxHeapCount = Math.max(cost.maxHeapCount, cost.heapCount);
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
        timers.set(id, clock.setTimeout(() => { timers.delete(id); void deliver({ ev: 'timer', id }); }, m.ms as number));
        break;
      }
      case 'cancel':
        if (timers.has(m.id as number)) clock.clearTimeout(timers.get(m.id as number));
        timers.delete(m.id as number);
        break;
      case 'connect': {
        const id = m.id as number;
        try {
          sockets.set(id, transport({
            host: m.host as string,
            port: m.port as number,
            tls: m.tls === true,
            onConnect: () => void deliver({ ev: 'connected', id }),
            onData: (d) => void deliver({ ev: 'data', id, data: bytesToHex(d) }),
            onClose: (reason) => {
              if (sockets.delete(id)) void deliver({ ev: 'closed', id, reason });
            },
          }));
        } catch (e) {
          void deliver({ ev: 'closed', id, reason: e instanceof Error ? e.message : String(e) });
        }
        break;
      }
      case 'write':
        try {
          sockets.get(m.id as number)?.write(hexToBytes(m.data as string));
        } catch {
          // closed meanwhile: its close is on the way to XS
        }
        break;
      case 'close':
        sockets.get(m.id as number)?.close();
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
    settings: { stratumURL: o.poolUrl, stratumUser: o.user, stratumPassword: 'x', ...o.settings },
    tuning: { selfTest: o.selfTest ?? true, stratum: { backoff: { initialMs: 50, maxMs: 1000 } }, ...o.tuning },
    ...(o.consoleStatusSeconds !== undefined ? { consoleStatusSeconds: o.consoleStatusSeconds } : {}),
  });

  return {
    cost,
    bundleBytes: code.length,
    async status() {
      const reply = await deliver({ ev: 'status' });
      return JSON.parse(reply) as MinerStatus | null;
    },
    async console(line: string) {
      // Ended as a terminal program ends it (CR); the firmware writes its answer as console lines.
      const written = JSON.parse(await deliver({ ev: 'console', data: `${line}\r` })) as string[];
      for (const text of written) {
        const parsed = parseConsoleLine(text.replace(/\n$/, ''));
        if (parsed.kind === 'reply') return parsed.reply;
      }
      return null;
    },
    async liveHeap() {
      await deliver({ ev: 'gc' });
      return cost.heapCount;
    },
    async idle() {
      for (let seen: Promise<unknown> | null = null; seen !== queue; ) {
        seen = queue;
        await queue;
      }
    },
    async stop() {
      stopReady?.();
      await deliver({ ev: 'stop' });
      stopped = true;
      for (const t of timers.values()) clock.clearTimeout(t);
      for (const s of sockets.values()) s.close();
      await queue;
      await worker.close();
    },
  };
}
