/**
 * The classroom pool's HTTP answers, as a pure handler (the node:http side is
 * host/http/node-adapter.ts): the page, the chain and the miners as JSON for anyone to build
 * on, and the lesson's controls, which change only with the control password.
 *
 *   GET  /               the pool's page
 *   GET  /api/chain      blocks, retargets, the window under way, issuance (lesson.ts); ?blocks=N: the newest N blocks only
 *   GET  /api/miners     the room: every miner, with its odds and energy figures
 *   GET  /api/controls   the controls' values and bounds
 *   POST /api/controls   {"targetBlockSeconds": 30, …}: applied whole or refused whole
 *   POST /api/miners     {"add": 1} or {"stop": <client>}: the demo's simulated miners
 */
import { checkOrigin, checkPassword, type HttpRequest, type HttpResponse } from '../../src/ui/api.ts';
import type { PasswordThrottle } from '../../src/ui/request-guard.ts';
import type { SimulatedChain } from './chain.ts';
import { CONTROLS, type ControlChange, parseControlChange } from './lesson-controls.ts';
import { chainView, type LessonPrices, minersView } from './lesson.ts';
import { LESSON_PAGE_HTML } from './lesson-page.ts';
import type { Room } from './room.ts';

/** Simulated miners the page may start and stop (the demo's); absent for a pool of real boards. */
export interface SimulatedMiners {
  add(): Promise<string>;
  /** Stops the simulated miner that authorized as `worker`; false when none did. */
  stop(worker: string): Promise<boolean>;
}

export interface LessonHost {
  chain: SimulatedChain;
  room: Room;
  prices: LessonPrices;
  /** '' turns the controls off. */
  controlPassword: string;
  /** Unix milliseconds. */
  now(): number;
  /** After the difficulty changed: jobs carrying the new nbits. */
  difficultyChanged(): void;
  miners?: SimulatedMiners;
}

const json = (status: number, value: unknown): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });

export function controlValues(host: LessonHost) {
  return {
    targetBlockSeconds: host.chain.targetBlockSeconds,
    retargetWindow: host.chain.retargetWindow,
    difficulty: host.chain.difficulty,
    pricePerKwh: host.prices.pricePerKwh,
    coinPrice: host.prices.coinPrice,
  };
}

export function applyControls(host: LessonHost, c: ControlChange): void {
  if (c.targetBlockSeconds !== undefined) host.chain.setTargetBlockSeconds(c.targetBlockSeconds);
  if (c.retargetWindow !== undefined) host.chain.setRetargetWindow(c.retargetWindow);
  if (c.pricePerKwh !== undefined) host.prices.pricePerKwh = c.pricePerKwh;
  if (c.coinPrice !== undefined) host.prices.coinPrice = c.coinPrice;
  if (c.difficulty !== undefined) {
    host.chain.setDifficulty(c.difficulty);
    host.difficultyChanged();
  }
}

/** The synchronous answers; POST /api/miners (which waits on a miner) is `handleMinersRequest`. */
export function handleLessonRequest(req: HttpRequest, host: LessonHost, throttle?: PasswordThrottle): HttpResponse {
  const now = host.now() / 1000;
  const get = req.method === 'GET' || req.method === 'HEAD';
  switch (req.path) {
    case '/':
    case '/index.html':
      return get ? { status: 200, contentType: 'text/html; charset=utf-8', body: LESSON_PAGE_HTML } : notAllowed(req);
    case '/api/chain': {
      if (!get) return notAllowed(req);
      const n = /(?:^|&)blocks=(\d{1,4})(?:&|$)/.exec(req.query ?? '');
      return json(200, chainView(host.chain, now, n ? Number(n[1]) : undefined));
    }
    case '/api/miners':
      return get ? json(200, minersView(host.room.rows(), host.chain, host.prices, now)) : notAllowed(req);
    case '/api/controls':
      if (get) return json(200, { values: controlValues(host), bounds: CONTROLS, locked: host.controlPassword === '', simulatedMiners: host.miners !== undefined });
      if (req.method !== 'POST') return notAllowed(req);
      return changeControls(req, host, throttle);
    default:
      return json(404, { error: `no such resource: ${req.path.slice(0, 200)}` });
  }
}

function guard(req: HttpRequest, host: LessonHost, what: string, throttle?: PasswordThrottle): HttpResponse | null {
  if (host.controlPassword === '') return json(403, { error: `${what} are off: start the pool with --control-password to allow them` });
  return checkOrigin(req) ?? checkPassword(req, host.controlPassword, what, throttle);
}

function changeControls(req: HttpRequest, host: LessonHost, throttle?: PasswordThrottle): HttpResponse {
  const denied = guard(req, host, 'lesson controls', throttle);
  if (denied) return denied;
  const parsed = parseControlChange(req.body);
  if (!parsed.ok) return json(400, { error: `${parsed.error}; nothing was changed` });
  applyControls(host, parsed.change);
  return json(200, { values: controlValues(host) });
}

/** POST /api/miners: start or stop one of the demo's simulated miners. */
export async function handleMinersRequest(req: HttpRequest, host: LessonHost, throttle?: PasswordThrottle): Promise<HttpResponse> {
  const denied = guard(req, host, 'miner changes', throttle);
  if (denied) return denied;
  if (!host.miners) return json(409, { error: 'this pool runs no simulated miners (kilohash demo --miners N does)' });
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return json(400, { error: 'the body is not JSON: send {"add": 1} or {"stop": <client>}' });
  }
  const b = body as { add?: unknown; stop?: unknown } | null;
  if (b !== null && typeof b === 'object' && b.add === 1) {
    try {
      return json(200, { added: await host.miners.add() });
    } catch (e) {
      return json(409, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (b !== null && typeof b === 'object' && typeof b.stop === 'number' && Number.isInteger(b.stop)) {
    const row = host.room.rows().find((r) => r.client === b.stop && r.connected);
    if (row && (await host.miners.stop(row.worker))) return json(200, { stopped: b.stop, worker: row.worker });
    return json(404, { error: `connection ${b.stop} is not a running simulated miner of this demo` });
  }
  return json(400, { error: 'send {"add": 1} or {"stop": <client>}' });
}

function notAllowed(req: HttpRequest): HttpResponse {
  return json(405, { error: `${req.method} ${req.path.slice(0, 200)} is not allowed` });
}
