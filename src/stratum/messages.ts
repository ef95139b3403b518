/**
 * Inbound Stratum messages, validated into a discriminated union. Anything that does not fit
 * becomes `malformed` (with the reason) or `unknown` (a method we do not implement): neither
 * ends the session. Outbound requests and replies are built here too (the end of the file), so
 * the wire format lives in one file.
 */
import { match, P } from 'ts-pattern';
import { bytesToHex, describeValue, hexToBytes, u32ToHex } from '../work/bytes.ts';
import { InputError } from '../work/errors.ts';
import type { MiningJob } from '../work/job.ts';
import type { ShareVerdict } from './events.ts';
import { MAX_EXTRANONCE2_SIZE } from '../work/extranonce2.ts';
import { NOTIFY_PARAM_NAMES, parseNotifyParams } from './notify.ts';

export type RequestId = number | string;

/** A pool's error, whatever shape it arrived in. */
export interface StratumError {
  code: number | null;
  message: string;
}

export type Inbound =
  | { kind: 'response'; id: RequestId; result: unknown; error: StratumError | null }
  /** `extraParams`: trailing params past the nine defined ones, which were ignored. */
  | { kind: 'notify'; job: MiningJob; extraParams: number }
  | { kind: 'set_difficulty'; difficulty: number }
  | { kind: 'set_version_mask'; mask: number }
  | { kind: 'set_extranonce'; extranonce1: Uint8Array; extranonce2Size: number }
  | { kind: 'reconnect'; host: string | null; port: number | null; waitSeconds: number }
  | { kind: 'show_message'; text: string }
  | { kind: 'get_version'; id: RequestId }
  | { kind: 'ping'; id: RequestId }
  | { kind: 'unknown'; method: string; id: RequestId | null }
  | { kind: 'malformed'; reason: string };

/**
 * Every error shape pools use: `[code, message, data]`, `[code, message]`, a bare string,
 * a JSON-RPC 2.0 object `{code, message}`, or null with a ckpool-style `reject-reason`.
 */
export function normalizeError(raw: unknown, rejectReason?: unknown): StratumError | null {
  return match(raw)
    .with(P.nullish, () =>
      typeof rejectReason === 'string' && rejectReason.length > 0 ? { code: null, message: rejectReason } : null,
    )
    .with(P.string, (message) => ({ code: null, message }))
    .with(P.array(), (arr) => ({
      code: toCode(arr[0]),
      message: typeof arr[1] === 'string' ? arr[1] : arr.length > 1 ? JSON.stringify(arr[1]) : String(arr[0] ?? 'error'),
    }))
    .with({ message: P.string }, (obj) => ({ code: toCode((obj as { code?: unknown }).code), message: obj.message }))
    .otherwise((other) => ({ code: null, message: JSON.stringify(other) }));
}

function toCode(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}

function isId(v: unknown): v is RequestId {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length > 0 && v.length <= 64);
}

export function parseInbound(line: string): Inbound {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: `not JSON: ${describeValue(line)}` };
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return { kind: 'malformed', reason: `not a JSON object: ${describeValue(msg)}` };
  }
  const m = msg as Record<string, unknown>;
  const id = isId(m.id) ? m.id : null;
  if (typeof m.method !== 'string') {
    if (id === null) return { kind: 'malformed', reason: 'a message with neither a method nor an id' };
    return { kind: 'response', id, result: m.result ?? null, error: normalizeError(m.error, m['reject-reason']) };
  }
  const params = m.params === undefined || m.params === null ? [] : m.params;
  try {
    return parseNotification(m.method, params, id);
  } catch (err) {
    if (err instanceof InputError) return { kind: 'malformed', reason: `${m.method}: ${err.message}` };
    throw err;
  }
}

function parseNotification(method: string, params: unknown, id: RequestId | null): Inbound {
  const list = Array.isArray(params) ? params : null;
  const need = (): unknown[] => {
    if (!list) throw new InputError('params', `must be an array, got ${describeValue(params)}`);
    return list;
  };
  return match(method)
    .returnType<Inbound>()
    .with('mining.notify', () => ({ kind: 'notify', job: parseNotifyParams(params), extraParams: Array.isArray(params) ? Math.max(0, params.length - NOTIFY_PARAM_NAMES.length) : 0 }))
    .with('mining.set_difficulty', () => ({ kind: 'set_difficulty', difficulty: positiveNumber(need()[0], 'difficulty') }))
    .with('mining.set_version_mask', () => ({
      kind: 'set_version_mask',
      mask: parseMask(need()[0]),
    }))
    .with('mining.set_extranonce', () => {
      const [en1, size] = need();
      return { kind: 'set_extranonce', extranonce1: hexToBytes(en1, 'extranonce1'), extranonce2Size: extranonce2Size(size) };
    })
    .with('client.reconnect', () => {
      const [host, port, wait] = list ?? [];
      return {
        kind: 'reconnect',
        host: typeof host === 'string' && host.length > 0 ? host : null,
        port: port === undefined || port === null || port === '' ? null : portNumber(port),
        waitSeconds: wait === undefined || wait === null ? 0 : Math.min(3600, Math.max(0, Number(wait) || 0)),
      };
    })
    .with('client.show_message', () => ({ kind: 'show_message', text: String((list ?? [])[0] ?? '') }))
    .with('client.get_version', () => (id === null ? { kind: 'malformed', reason: 'client.get_version without an id' } : { kind: 'get_version', id }))
    .with('mining.ping', 'client.ping', () => (id === null ? { kind: 'malformed', reason: `${method} without an id` } : { kind: 'ping', id }))
    .otherwise(() => ({ kind: 'unknown', method, id }));
}

function positiveNumber(v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new InputError(field, `must be a number above 0, got ${describeValue(v)}`);
  return n;
}

export function parseMask(v: unknown): number {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{1,8}$/.test(v)) throw new InputError('version mask', `expected up to 8 hex digits, got ${describeValue(v)}`);
  return Number.parseInt(v, 16) >>> 0;
}

export function extranonce2Size(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_EXTRANONCE2_SIZE) {
    throw new InputError('extranonce2_size', `must be an integer 0..${MAX_EXTRANONCE2_SIZE}, got ${describeValue(v)}`);
  }
  return v;
}

function portNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InputError('port', `must be 1..65535, got ${describeValue(v)}`);
  return n;
}

/** The subscribe result: `[subscriptions, extranonce1, extranonce2_size]`, in every variant seen. */
export interface SubscribeResult {
  extranonce1: Uint8Array;
  extranonce2Size: number;
  /** The subscription id to resume this session after a reconnect, when the pool gave one. */
  sessionId: string | null;
}

export function parseSubscribeResult(result: unknown): SubscribeResult {
  if (!Array.isArray(result) || result.length < 3) {
    throw new InputError('mining.subscribe result', `expected [subscriptions, extranonce1, extranonce2_size], got ${describeValue(result)}`);
  }
  const [subs, en1, size] = result as unknown[];
  return { extranonce1: hexToBytes(en1, 'extranonce1'), extranonce2Size: extranonce2Size(size), sessionId: findSessionId(subs) };
}

/** Subscriptions come as a list of pairs, a single pair, or nothing useful. */
function findSessionId(subs: unknown): string | null {
  if (!Array.isArray(subs)) return typeof subs === 'string' && subs.length <= 64 ? subs : null;
  const pairs = subs.length === 2 && typeof subs[0] === 'string' ? [subs] : subs;
  for (const pair of pairs) {
    if (Array.isArray(pair) && pair[0] === 'mining.notify' && typeof pair[1] === 'string' && pair[1].length <= 64) return pair[1];
  }
  for (const pair of pairs) {
    if (Array.isArray(pair) && typeof pair[1] === 'string' && pair[1].length <= 64) return pair[1];
  }
  return null;
}

// ── outbound ─────────────────────────────────────────────────────────────────────────────

/** A request before the client gives it an id. */
export interface OutboundRequest {
  method: string;
  params: unknown[];
}

/** BIP310: ask to roll the bits of `mask`, at least `minBitCount` of them. */
export function configureRequest(mask: number, minBitCount: number): OutboundRequest {
  return {
    method: 'mining.configure',
    params: [['version-rolling'], { 'version-rolling.mask': u32ToHex(mask), 'version-rolling.min-bit-count': minBitCount }],
  };
}

/** `sessionId`: the subscription id of the last session, to ask the pool to resume it. */
export function subscribeRequest(userAgent: string, sessionId: string | null): OutboundRequest {
  return { method: 'mining.subscribe', params: sessionId ? [userAgent, sessionId] : [userAgent] };
}

export function authorizeRequest(user: string, password: string): OutboundRequest {
  return { method: 'mining.authorize', params: [user, password] };
}

export function suggestDifficultyRequest(difficulty: number): OutboundRequest {
  return { method: 'mining.suggest_difficulty', params: [difficulty] };
}

export function extranonceSubscribeRequest(): OutboundRequest {
  return { method: 'mining.extranonce.subscribe', params: [] };
}

/** What a share carries on the wire; the version field only when rolling. */
export interface SubmitFields {
  jobId: string;
  extranonce2: Uint8Array;
  ntime: number;
  nonce: number;
  versionBits?: number;
}

export function submitRequest(user: string, share: SubmitFields): OutboundRequest {
  const params: unknown[] = [user, share.jobId, bytesToHex(share.extranonce2), u32ToHex(share.ntime), u32ToHex(share.nonce)];
  if (share.versionBits !== undefined) params.push(u32ToHex(share.versionBits));
  return { method: 'mining.submit', params };
}

/** Our answer to a pool's request (client.get_version, mining.ping). */
export function resultReply(id: RequestId, result: unknown): { id: RequestId; result: unknown; error: null } {
  return { id, result, error: null };
}

/** Our answer to a request for a method we do not implement (JSON-RPC's code 20 in Stratum). */
export function methodNotFoundReply(id: RequestId): { id: RequestId; result: null; error: [number, string, null] } {
  return { id, result: null, error: [20, 'Method not found', null] };
}

/** The pool's answer to mining.submit, read the way pools mean it. */
export function submitVerdict(result: unknown, error: StratumError | null): Extract<ShareVerdict, { kind: 'accepted' | 'rejected' }> {
  if (result === true && !error) return { kind: 'accepted' };
  return { kind: 'rejected', reason: rejectReason(error), code: error?.code ?? null };
}

function rejectReason(error: StratumError | null): string {
  if (!error) return 'rejected';
  const m = error.message.trim().slice(0, 80);
  return m.length > 0 ? m : error.code !== null ? `error ${error.code}` : 'rejected';
}
