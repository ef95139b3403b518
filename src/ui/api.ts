/**
 * The miner's HTTP API as plain request → response functions, so the host (node:http) and the
 * device (Moddable's http Server) serve the same handlers. kilohash's own routes:
 *
 *   GET   /                     the dashboard page (the settings page on a first run or while provisioning)
 *   GET   /settings             the settings page
 *   GET   /api/status           the full status object
 *   GET   /api/system/settings  settings, secrets shown only as set / not set
 *   PATCH /api/system           change settings (kilohash's names, or AxeOS's: axeos/settings-patch.ts)
 *   POST  /api/system/restart   reconnect with new settings
 *
 * and the AxeOS API, so the AxeOS web UI and the tools written for Bitaxe boards work unchanged
 * (docs/miner.md lists each path and field):
 *
 *   GET   /api/system/info  /statistics?columns=…  /asic  /scoreboard  /logs  /wifi/scan   /api/theme
 *   POST  /api/system/pause  /resume  /identify  /blockFound/dismiss                      /api/theme
 *   DELETE /api/system/pools/{id}
 *   OPTIONS /api/*  (CORS preflight; every GET under /api answers `Access-Control-Allow-Origin: *`)
 *
 * Who may write: a write a page on another origin makes the browser send is always refused.
 * Settings, restart, pause/resume and pool deletion need the admin password in
 * `Authorization: Bearer <password>` (or `X-Password`) — wrong ones make the client wait longer
 * and longer (request-guard.ts) — except: the first settings of a device (nothing stored yet, or
 * the setup access point) while no admin password exists; and, with `apiAccess` set to
 * `local-network`, any client on a private address (as AxeOS does: its UI never sends a
 * password), though changing the admin password or the access mode itself still needs the
 * password when one is set. The theme, identify (an LED blink) and dismissing the block notice
 * change nothing that matters and need no password.
 */
import { applySettings, publicSettings, type Settings } from '../config/settings.ts';
import type { LogLevel } from '../platform/interfaces.ts';
import { MAX_BODY_BYTES, MAX_PATH_BYTES, type PasswordThrottle, isLocalAddress, writeOriginProblem, sameSecret } from './request-guard.ts';
import { DASHBOARD_HTML } from './dashboard.ts';
import { SETTINGS_HTML } from './settings-page.ts';
import { fromAxeosPatch, looksLikeAxeos } from './axeos/settings-patch.ts';
import { queryParam } from './axeos/statistics.ts';

export interface HttpRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string without its '?' (absent: none). */
  query?: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  /** The client's address, where the server knows it (keys the wrong-password delay). */
  client?: string;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: string;
  /** Further response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/** AxeOS's theme: what its UI stores and reads back. */
export interface Theme {
  colorScheme: string;
  primaryColor: string;
  [key: string]: string;
}

/** What the AxeOS routes need beyond the core API; without it they answer 404. */
export interface AxeosHost {
  statistics(columns: string | undefined): unknown;
  asic(): unknown;
  scoreboard(): unknown[];
  logs(): string;
  /** The kept log lines, oldest first (a new log stream client gets these first). */
  recentLogs(): Array<{ line: string; level: LogLevel }>;
  /** Each new log line as it is written (AxeOS's log stream); returns the unsubscribe. */
  listenLogs(listener: (line: string, level: LogLevel) => void): () => void;
  wifiNetworks(): Array<{ ssid: string; rssi: number; authmode: number }>;
  pause(): void;
  resume(): void;
  identify(): void;
  dismissBlockFound(): { blockFound: number; showNewBlock: boolean };
  theme(): Theme;
  saveTheme(t: Theme): void;
}

export interface ApiHost {
  /**
   * The device is in its setup access point and no admin password exists yet: the first
   * settings may be written without one (the access point's own password guards it).
   */
  provisioning?: boolean;
  /** No settings are stored yet (a fresh device, the desktop build): the first need no password. */
  firstRun?: boolean;
  info(): unknown;
  status(): unknown;
  settings(): Settings;
  /** Stores new settings (already validated) and applies what can change live. */
  saveSettings(next: Settings): void;
  restart(): void;
  axeos?: AxeosHost;
}

export { MAX_BODY_BYTES };

const json = (status: number, value: unknown): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });

/** Every GET under /api may be read by any page (the AxeOS swarm page reads other miners). */
const CORS_READ = { 'Access-Control-Allow-Origin': '*' };
const CORS_PREFLIGHT = {
  ...CORS_READ,
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

/**
 * What a write needs: `settings` and `action` (restart, pause, …) the admin password or the
 * local network (checkAccess; a settings body may also touch the access itself); `cosmetic`
 * (theme, identify, the block notice) only the same-origin check every write gets.
 */
type Guard = 'settings' | 'action' | 'cosmetic';

const THEME_KEYS = 16;
const THEME_VALUE = 64;

/** `throttle` is the server's record of wrong passwords (without one, none are delayed). */
export function handleRequest(req: HttpRequest, host: ApiHost, throttle?: PasswordThrottle): HttpResponse {
  if (req.path.length > MAX_PATH_BYTES) return json(414, { error: `request target over ${MAX_PATH_BYTES} bytes` });
  const method = req.method.toUpperCase();
  const path = req.path.replace(/\/+$/, '') || '/';
  const api = path.startsWith('/api/');
  if (method === 'OPTIONS' && api) return { status: 204, contentType: 'text/plain', body: '', headers: CORS_PREFLIGHT };
  if (method === 'GET' || method === 'HEAD') {
    const r = get(path, req, host);
    return api ? { ...r, headers: { ...r.headers, ...CORS_READ } } : r;
  }
  const write = writeRoute(method, path, host);
  if (write === null) return json(405, { error: `${method} ${path} is not allowed` });
  if (write === undefined) {
    // A path that exists for reading: the method is what is wrong.
    const exists = get(path, req, host).status !== 404;
    return exists ? json(405, { error: `${method} ${path} is not allowed` }) : json(404, { error: `no such resource: ${path}` });
  }
  if (req.body.length > MAX_BODY_BYTES) return json(413, { error: `body over ${MAX_BODY_BYTES} bytes` });
  const denied = checkOrigin(req) ?? (write.guard === 'cosmetic' ? null : checkAccess(req, host, write.guard === 'settings' ? req.body : null, throttle));
  if (denied) return denied;
  return write.run(req);
}

function get(path: string, req: HttpRequest, host: ApiHost): HttpResponse {
  const ax = host.axeos;
  switch (path) {
    case '/':
    case '/index.html':
      return { status: 200, contentType: 'text/html; charset=utf-8', body: host.provisioning || host.firstRun ? SETTINGS_HTML : DASHBOARD_HTML };
    case '/settings':
      return { status: 200, contentType: 'text/html; charset=utf-8', body: SETTINGS_HTML };
    case '/api/system/info':
      return json(200, host.info());
    case '/api/status':
      return json(200, host.status());
    case '/api/system/settings':
      return json(200, publicSettings(host.settings()));
  }
  if (ax) {
    switch (path) {
      case '/api/system/statistics':
        return json(200, ax.statistics(queryParam(req.query, 'columns')));
      case '/api/system/asic':
        return json(200, ax.asic());
      case '/api/system/scoreboard':
        return json(200, ax.scoreboard());
      case '/api/system/logs':
        return { status: 200, contentType: 'text/plain; charset=utf-8', body: ax.logs() };
      case '/api/system/wifi/scan':
        return json(200, { networks: ax.wifiNetworks() });
      case '/api/theme':
        return json(200, ax.theme());
    }
  }
  return json(404, { error: `no such resource: ${path}` });
}

interface WriteRoute {
  guard: Guard;
  run(req: HttpRequest): HttpResponse;
}

/** The write at `method path`: null when the path exists for other methods, undefined when it does not exist. */
function writeRoute(method: string, path: string, host: ApiHost): WriteRoute | null | undefined {
  const ax = host.axeos;
  const message = (text: string) => json(200, { message: text });
  if (path === '/api/system') return method === 'PATCH' ? { guard: 'settings', run: (req) => patchSettings(req, host) } : null;
  if (path === '/api/system/restart') {
    return method === 'POST' ? { guard: 'action', run: () => (host.restart(), json(200, { restarting: true, message: 'restarting mining with the saved settings' })) } : null;
  }
  if (!ax) return undefined;
  const post = (guard: Guard, run: (req: HttpRequest) => HttpResponse) => (method === 'POST' ? { guard, run } : null);
  const unsupported = (why: string) => post('cosmetic', () => json(501, { error: why }));
  switch (path) {
    case '/api/system/pause': return post('action', () => (ax.pause(), message('Mining paused')));
    case '/api/system/resume': return post('action', () => (ax.resume(), message('Mining resumed')));
    case '/api/system/identify': return post('cosmetic', () => (ax.identify(), message('The board\'s LED blinks for 30 s')));
    case '/api/system/blockFound/dismiss': return post('cosmetic', () => json(200, { ...ax.dismissBlockFound(), message: 'Block found notice dismissed' }));
    case '/api/theme': return post('cosmetic', (req) => saveTheme(req, ax));
    // AxeOS's update page: kilohash's pages are part of its firmware, which has one boot image.
    case '/api/system/OTAWWW': return unsupported('kilohash serves its web pages from its firmware: update the firmware (POST /api/system/OTA) instead');
    case '/api/system/boot': return unsupported('kilohash boots the newest firmware it was given; there is no partition to choose');
    // The device takes POST /api/system/OTA before these handlers (its server streams the image).
    case '/api/system/OTA': return unsupported('this host runs no firmware to update; flash a board with kilohash firmware');
  }
  const pool = /^\/api\/system\/pools\/([^/]+)$/.exec(path);
  if (pool) return method === 'DELETE' ? { guard: 'settings', run: () => deletePool(pool[1]!, host) } : null;
  return undefined;
}

/** The body as JSON, or the 400 that says it is not. */
function parseBody(req: HttpRequest): { value: unknown } | HttpResponse {
  try {
    return { value: JSON.parse(req.body) as unknown };
  } catch {
    return json(400, { error: 'the body is not valid JSON' });
  }
}

function patchSettings(req: HttpRequest, host: ApiHost): HttpResponse {
  const parsed = parseBody(req);
  if (!('value' in parsed)) return parsed;
  const body = parsed.value;
  let patch = body;
  let ignored: string[] = [];
  let notes: string[] = [];
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && looksLikeAxeos(body as Record<string, unknown>)) {
    const a = fromAxeosPatch(body as Record<string, unknown>, host.settings());
    if (!a.ok) return json(400, { error: 'invalid settings; nothing was changed', fields: a.errors });
    ({ patch, ignored, notes } = a);
  }
  const r = applySettings(host.settings(), patch);
  if (!r.ok) return json(400, { error: 'invalid settings; nothing was changed', fields: r.errors });
  host.saveSettings(r.settings);
  return json(200, {
    ...publicSettings(r.settings),
    status: 'success',
    ...(ignored.length > 0 ? { ignored, note: `accepted and ignored (kilohash has no such hardware or feature): ${ignored.join(', ')}` } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  });
}

/** AxeOS clears a pool slot it no longer lists; kilohash has slot 1, the backup, to clear. */
function deletePool(id: string, host: ApiHost): HttpResponse {
  const n = /^\d{1,2}$/.test(id) ? Number(id) : -1;
  if (n < 0 || n > 15) return json(400, { error: 'Invalid pool index' });
  if (n === 0) return json(400, { error: 'Cannot delete a pool that is currently selected as primary or fallback' });
  if (n === 1) {
    const s = host.settings();
    if (s.fallbackStratumURL !== '') host.saveSettings({ ...s, fallbackStratumURL: '', fallbackStratumUser: '', fallbackStratumPassword: '' });
    return json(200, { message: 'Pool cleared successfully' });
  }
  return json(200, { message: 'Pool cleared successfully (kilohash keeps no pool in this slot)' });
}

function saveTheme(req: HttpRequest, ax: AxeosHost): HttpResponse {
  const parsed = parseBody(req);
  if (!('value' in parsed)) return parsed;
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return json(400, { error: 'expected a JSON object' });
  const next: Theme = { ...ax.theme() };
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string' || v.length > THEME_VALUE || k.length > 32) return json(400, { error: `theme ${k} must be text of at most ${THEME_VALUE} characters` });
    next[k] = v;
  }
  if (Object.keys(next).length > THEME_KEYS) return json(400, { error: `a theme has at most ${THEME_KEYS} entries` });
  ax.saveTheme(next);
  return json(200, { message: 'Theme updated' });
}

/** Whether a settings body sets the admin password or the access mode (unparsable: assume so). */
function changesAccess(body: string): boolean {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v !== 'object' || v === null || 'adminPassword' in v || 'apiAccess' in v;
  } catch {
    return true;
  }
}

/**
 * The password check of a guarded write, or null when it may proceed without one (see the
 * header). `settingsBody`: the body of a settings change (it decides whether the admin
 * password or the access mode itself is being changed).
 */
function checkAccess(req: HttpRequest, host: ApiHost, settingsBody: string | null, throttle?: PasswordThrottle): HttpResponse | null {
  const s = host.settings();
  const firstSetup = (host.provisioning === true || host.firstRun === true) && s.adminPassword === '';
  if (firstSetup) return null;
  if (s.apiAccess === 'local-network' && isLocalAddress(req.client)) {
    const touchesAccess = settingsBody !== null && changesAccess(settingsBody);
    if (!touchesAccess || s.adminPassword === '') return null;
    return checkPassword(req, s.adminPassword, 'changes to the admin password or the access mode', throttle);
  }
  return checkPassword(req, s.adminPassword, 'settings changes', throttle);
}

/** Refuses a write whose Origin, Host or Sec-Fetch-Site says a page elsewhere sent it. */
export function checkOrigin(req: Pick<HttpRequest, 'headers'>): HttpResponse | null {
  const problem = writeOriginProblem(req.headers);
  return problem === null ? null : json(403, { error: `${problem}; nothing was changed` });
}

/**
 * The password check every write goes through (the miner's admin password, the classroom
 * pool's control password); `what` names what it guards in the refusal. With a throttle, a client that sent wrong passwords waits before any is checked.
 */
export function checkPassword(req: Pick<HttpRequest, 'headers' | 'client'>, password: string, what = 'settings changes', throttle?: PasswordThrottle): HttpResponse | null {
  if (password === '') return json(403, { error: `${what} are disabled: no admin password is set` });
  const auth = req.headers['authorization'];
  const given = auth?.startsWith('Bearer ') ? auth.slice(7) : req.headers['x-password'];
  if (given === undefined) return json(401, { error: 'password required (Authorization: Bearer <password>)' });
  const client = req.client ?? '';
  const wait = throttle?.waitMs(client) ?? 0;
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    return { ...json(429, { error: `too many wrong passwords; try again in ${seconds} s`, retryAfterSeconds: seconds }), headers: { 'Retry-After': String(seconds) } };
  }
  if (!sameSecret(given, password)) {
    throttle?.failed(client);
    return json(403, { error: 'wrong password; nothing was changed' });
  }
  throttle?.succeeded(client);
  return null;
}
