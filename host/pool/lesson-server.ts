/**
 * The classroom pool's page server: its own HTTP port beside the pool's Stratum port, serving
 * lesson-api.ts's answers. The room starts listening to the pool here, so start this before
 * miners connect.
 */
import { PasswordThrottle } from '../../src/ui/request-guard.ts';
import { answer, boundedServer, close, listen } from '../http/node-adapter.ts';
import { handleLessonRequest, handleMinersRequest, type LessonHost, type SimulatedMiners } from './lesson-api.ts';
import type { LessonPrices } from './lesson.ts';
import { Room } from './room.ts';
import type { LocalPool, PoolEvent } from './server.ts';

export interface LessonServerOptions {
  port: number;
  bind?: string;
  /** '' (the default) leaves the controls off. */
  controlPassword?: string;
  prices: LessonPrices;
  miners?: SimulatedMiners;
}

export interface LessonServer {
  url: string;
  port: number;
  host: LessonHost;
  close(): Promise<void>;
}

export async function startLessonServer(pool: LocalPool, o: LessonServerOptions): Promise<LessonServer> {
  const room = new Room(() => pool.clock.now());
  const onEvent = (e: PoolEvent) => room.onEvent(e);
  pool.on('event', onEvent);
  const host: LessonHost = {
    chain: pool.chain,
    room,
    prices: { ...o.prices },
    controlPassword: o.controlPassword ?? '',
    now: () => pool.clock.now(),
    difficultyChanged: () => void pool.makeJob(true),
    ...(o.miners ? { miners: o.miners } : {}),
  };
  const throttle = new PasswordThrottle(() => Date.now());
  const server = boundedServer((req, res) =>
    answer(req, res, (r) => (r.method === 'POST' && r.path === '/api/miners' ? handleMinersRequest(r, host, throttle) : handleLessonRequest(r, host, throttle))),
  );
  const bind = o.bind ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, o.port, bind);
  } catch (e) {
    pool.off('event', onEvent);
    throw e;
  }
  return {
    url: `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}/`,
    port,
    host,
    close: () => {
      pool.off('event', onEvent);
      return close(server);
    },
  };
}
