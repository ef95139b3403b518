/**
 * The miner's HTTP API as plain request → response functions, so the host (node:http) and the
 * device (Moddable's http Server) serve the same handlers:
 *
 *   GET   /                     the dashboard page (the settings page on a first run or while provisioning)
 *   GET   /settings             the settings page
 *   GET   /api/system/info      AxeOS-shaped status (tools that read Bitaxe boards read ours)
 *   GET   /api/status           the full status object
 *   GET   /api/system/settings  settings, secrets shown only as set / not set
 *   PATCH /api/system           change settings          (password)
 *   POST  /api/system/restart   reconnect with new settings (password)
 *
 * Writes need the admin password in `Authorization: Bearer <password>` (or `X-Password`); a
 * wrong or missing one changes nothing, and wrong ones make the client wait longer and longer
 * (request-guard.ts). The first settings of a device (nothing stored yet, or the setup access
 * point) need none while no admin password exists; after that, with no password configured,
 * writes are disabled. Writes a page on another origin makes the browser send are refused.
 */
import { applySettings, publicSettings, type Settings } from '../config/settings.ts';
import { MAX_BODY_BYTES, MAX_PATH_BYTES, type PasswordThrottle, writeOriginProblem } from './request-guard.ts';
import { DASHBOARD_HTML } from './dashboard.ts';
import { SETTINGS_HTML } from './settings-page.ts';

export interface HttpRequest {
  method: string;
  /** Path without the query string. */
  path: string;
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
}

export { MAX_BODY_BYTES };

const json = (status: number, value: unknown): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });

/** `throttle` is the server's record of wrong passwords (without one, none are delayed). */
export function handleRequest(req: HttpRequest, host: ApiHost, throttle?: PasswordThrottle): HttpResponse {
  if (req.path.length > MAX_PATH_BYTES) return json(414, { error: `request target over ${MAX_PATH_BYTES} bytes` });
  const method = req.method.toUpperCase();
  const path = req.path.replace(/\/+$/, '') || '/';
  if (method === 'GET') {
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
      default:
        return json(404, { error: `no such resource: ${path}` });
    }
  }
  if ((method === 'PATCH' && path === '/api/system') || (method === 'POST' && path === '/api/system/restart')) {
    const open = (host.provisioning === true || host.firstRun === true) && host.settings().adminPassword === '';
    const denied = checkOrigin(req) ?? (open ? null : checkPassword(req, host.settings(), 'settings changes', throttle));
    if (denied) return denied;
    if (path === '/api/system/restart') {
      host.restart();
      return json(200, { restarting: true });
    }
    if (req.body.length > MAX_BODY_BYTES) return json(413, { error: `settings body over ${MAX_BODY_BYTES} bytes` });
    let patch: unknown;
    try {
      patch = JSON.parse(req.body);
    } catch {
      return json(400, { error: 'the body is not valid JSON' });
    }
    const r = applySettings(host.settings(), patch);
    if (!r.ok) return json(400, { error: 'invalid settings; nothing was changed', fields: r.errors });
    host.saveSettings(r.settings);
    return json(200, publicSettings(r.settings));
  }
  return json(405, { error: `${method} ${path} is not allowed` });
}

/** Refuses a write whose Origin, Host or Sec-Fetch-Site says a page elsewhere sent it. */
export function checkOrigin(req: Pick<HttpRequest, 'headers'>): HttpResponse | null {
  const problem = writeOriginProblem(req.headers);
  return problem === null ? null : json(403, { error: `${problem}; nothing was changed` });
}

/**
 * The admin password check every write goes through; `what` names what it guards in the
 * refusal. With a throttle, a client that sent wrong passwords waits before any is checked.
 */
export function checkPassword(req: Pick<HttpRequest, 'headers' | 'client'>, s: Settings, what = 'settings changes', throttle?: PasswordThrottle): HttpResponse | null {
  if (s.adminPassword === '') return json(403, { error: `${what} are disabled: no admin password is set` });
  const auth = req.headers['authorization'];
  const given = auth?.startsWith('Bearer ') ? auth.slice(7) : req.headers['x-password'];
  if (given === undefined) return json(401, { error: 'password required (Authorization: Bearer <password>)' });
  const client = req.client ?? '';
  const wait = throttle?.waitMs(client) ?? 0;
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    return { ...json(429, { error: `too many wrong passwords; try again in ${seconds} s`, retryAfterSeconds: seconds }), headers: { 'Retry-After': String(seconds) } };
  }
  if (!sameText(given, s.adminPassword)) {
    throttle?.failed(client);
    return json(403, { error: 'wrong password; nothing was changed' });
  }
  throttle?.succeeded(client);
  return null;
}

/** Compares without returning early on the first difference. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
