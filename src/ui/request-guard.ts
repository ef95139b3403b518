/**
 * What stands between the status API's writes and the home network it sits on: a growing
 * per-client delay after wrong admin passwords, a refusal of writes that a web page on another
 * origin (or behind a rebound DNS name) makes the user's browser send, and the bounds on what a
 * request may carry. Pure and XS-portable; the servers (node:http, Moddable's http) apply the
 * limits while reading and pass the client's address and a clock in.
 */

/** Bodies above this are refused before they are read (firmware images excepted). */
export const MAX_BODY_BYTES = 8192;
/** Request line target (path and query) above this: 414. */
export const MAX_PATH_BYTES = 1024;
/** All header lines together above this, or more than MAX_HEADERS of them: 431. */
export const MAX_HEADER_BYTES = 8192;
export const MAX_HEADERS = 64;

export interface ThrottleOptions {
  /** The wait after the first wrong password (default 1 s); it doubles with each further one. */
  baseMs?: number;
  /** The longest wait (default 5 min). */
  maxMs?: number;
  /** Clients remembered at once (default 32; the oldest is forgotten first). */
  clients?: number;
}

interface Strikes {
  failures: number;
  /** No password is checked for this client before this time. */
  until: number;
}

/**
 * Wrong admin passwords slow the client that sent them: after n wrong ones in a row it waits
 * base·2^(n-1) (capped) before any password of its is checked again, right or wrong. A right one
 * clears its record. Keyed by client address, so one guessing client does not lock out others.
 */
export class PasswordThrottle {
  private readonly strikes = new Map<string, Strikes>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly clients: number;

  constructor(private readonly now: () => number, options: ThrottleOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.maxMs = options.maxMs ?? 300_000;
    this.clients = options.clients ?? 32;
  }

  /** Milliseconds this client must still wait before a password of its is checked (0: none). */
  waitMs(client: string): number {
    const s = this.strikes.get(client);
    return s === undefined ? 0 : Math.max(0, s.until - this.now());
  }

  failed(client: string): void {
    const failures = (this.strikes.get(client)?.failures ?? 0) + 1;
    const wait = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(failures - 1, 30));
    // Re-inserted so the map's order is least recently failed first.
    this.strikes.delete(client);
    this.strikes.set(client, { failures, until: this.now() + wait });
    while (this.strikes.size > this.clients) this.strikes.delete(this.strikes.keys().next().value!);
  }

  succeeded(client: string): void {
    this.strikes.delete(client);
  }
}

/**
 * Why a write must be refused for where it comes from, or null when it may proceed:
 * - `Host` (when sent) must name this device by address, not by a DNS name an attacker's page
 *   can point at it (DNS rebinding): an IP literal, `localhost`, a `.local` mDNS name, or one of
 *   `names`;
 * - `Origin` (when sent: browsers send it with every cross-origin request and with same-origin
 *   writes) must be the same host and port as `Host`, and `Sec-Fetch-Site` must not say
 *   cross-site. Tools that send neither (curl, scripts) are not browsers a page can drive.
 * The API never grants CORS, so no page elsewhere can read a reply either.
 */
export function writeOriginProblem(headers: Record<string, string | undefined>, names: readonly string[] = []): string | null {
  const host = headers['host']?.trim().toLowerCase();
  if (host !== undefined && !acceptableHost(hostName(host), names)) {
    return `Host "${host}" is not this device's address; writes must use its IP address or .local name`;
  }
  const site = headers['sec-fetch-site']?.toLowerCase();
  if (site === 'cross-site') return 'cross-site writes are refused';
  const origin = headers['origin']?.trim().toLowerCase();
  if (origin === undefined) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)$/.exec(origin);
  if (m === null) return `cross-origin writes are refused (Origin ${origin})`;
  if (host === undefined || m[1] !== host) return `cross-origin writes are refused (Origin ${origin}, Host ${host ?? 'not sent'})`;
  return null;
}

/** The name in a Host value, without its port ("[::1]:80" → "::1"). */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function acceptableHost(name: string, names: readonly string[]): boolean {
  if (name === 'localhost' || name.endsWith('.local')) return true;
  if (names.includes(name)) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return name.split('.').every((p) => Number(p) <= 255);
  return name.includes(':') && /^[0-9a-f:.]+$/.test(name); // IPv6 literal
}

/**
 * Whether a client address is on the local network: private IPv4 (RFC 1918), link-local,
 * loopback, IPv6 unique-local and link-local, and IPv4 in IPv6 form of those. The
 * `local-network` access mode lets only these write without the password.
 */
export function isLocalAddress(address: string | undefined): boolean {
  if (address === undefined || address === '') return false;
  let a = address.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped) a = mapped[1]!;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [b0, b1] = [Number(v4[1]), Number(v4[2])];
    if ([b0, b1, Number(v4[3]), Number(v4[4])].some((b) => b > 255)) return false;
    return b0 === 10 || b0 === 127 || (b0 === 172 && b1 >= 16 && b1 <= 31) || (b0 === 192 && b1 === 168) || (b0 === 169 && b1 === 254);
  }
  if (!a.includes(':') || !/^[0-9a-f:]+$/.test(a)) return false;
  if (a === '::1') return true;
  const first = parseInt(a.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** Compares a given password with the secret without returning early on the first difference. */
export function sameSecret(given: string, secret: string): boolean {
  let diff = given.length ^ secret.length;
  for (let i = 0; i < Math.max(given.length, secret.length); i++) diff |= (given.charCodeAt(i) || 0) ^ (secret.charCodeAt(i) || 0);
  return diff === 0;
}
