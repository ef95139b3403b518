/**
 * The status API on a home network: wrong passwords slow their sender, a page on another origin
 * (or behind a rebound DNS name) cannot make the user's browser change settings, requests are
 * bounded, and mutated requests and settings never crash the handlers or change anything they
 * should not. The handlers are tested directly (what the device runs) and through the node
 * server (what `kilohash mine` runs).
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, applySettings, type Settings } from '../../src/config/settings.ts';
import { type ApiHost, type HttpRequest, handleRequest } from '../../src/ui/api.ts';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, PasswordThrottle, writeOriginProblem } from '../../src/ui/request-guard.ts';
import { type ApiServer, startApiServer } from '../../host/miner/http-server.ts';

const PASSWORD = 'correct horse battery';

function fakeHost(initial: Partial<Settings> = {}): ApiHost & { saved: number; restarts: number; current: Settings } {
  const h = {
    saved: 0,
    restarts: 0,
    current: { ...DEFAULT_SETTINGS, adminPassword: PASSWORD, ...initial },
    info: () => ({ ok: true }),
    status: () => ({ ok: true }),
    settings: () => h.current,
    saveSettings: (s: Settings) => { h.current = s; h.saved++; },
    restart: () => { h.restarts++; },
  };
  return h;
}

function patch(body: unknown, headers: Record<string, string> = {}, client = '192.168.1.20'): HttpRequest {
  return { method: 'PATCH', path: '/api/system', headers, body: JSON.stringify(body), client };
}

describe('wrong passwords slow their sender', () => {
  it('waits 1 s, 2 s, 4 s … after wrong passwords, even for the right one, per client', () => {
    let now = 1_000_000;
    const throttle = new PasswordThrottle(() => now);
    const host = fakeHost();
    const bad = { authorization: 'Bearer wrong-password' };
    const good = { authorization: `Bearer ${PASSWORD}` };
    expect(handleRequest(patch({ power: 3 }, bad), host, throttle).status).toBe(403);
    // Straight away, even the right password is not checked.
    const r = handleRequest(patch({ power: 4 }, good), host, throttle);
    expect(r.status).toBe(429);
    expect(r.headers?.['Retry-After']).toBe('1');
    expect(host.saved).toBe(0);
    // Another client is not held up.
    expect(handleRequest(patch({ power: 5 }, good, '192.168.1.30'), host, throttle).status).toBe(200);
    // The waits double: 1 s, 2 s, 4 s.
    for (const wait of [1000, 2000, 4000]) {
      now += wait - 1;
      expect(handleRequest(patch({ power: 3 }, bad), host, throttle).status, `${wait - 1} ms after`).toBe(429);
      now += 1;
      expect(handleRequest(patch({ power: 3 }, bad), host, throttle).status, `${wait} ms after`).toBe(403);
    }
    now += 8000;
    expect(handleRequest(patch({ power: 6 }, good), host, throttle).status).toBe(200);
    expect(host.current.power).toBe(6);
    // A right password clears the record: the next wrong one costs 1 s again.
    expect(handleRequest(patch({ power: 3 }, bad), host, throttle).status).toBe(403);
    now += 1000;
    expect(handleRequest(patch({ power: 7 }, good), host, throttle).status).toBe(200);
  });

  it('caps the wait and remembers a bounded number of clients', () => {
    let now = 0;
    const throttle = new PasswordThrottle(() => now, { baseMs: 1000, maxMs: 60_000, clients: 4 });
    for (let i = 0; i < 40; i++) throttle.failed('a');
    expect(throttle.waitMs('a')).toBe(60_000);
    for (const c of ['b', 'c', 'd', 'e']) throttle.failed(c);
    expect(throttle.waitMs('a')).toBe(0); // forgotten: the oldest of five
    expect(throttle.waitMs('e')).toBe(1000);
  });
});

describe('writes from another origin are refused', () => {
  const good = { authorization: `Bearer ${PASSWORD}` };

  it.each([
    ['a page on another site', { origin: 'http://evil.example', host: '192.168.1.50' }],
    ['a page on another port of the device', { origin: 'http://192.168.1.50:8080', host: '192.168.1.50' }],
    ['a rebound DNS name', { origin: 'http://attacker.example', host: 'attacker.example' }],
    ['a rebound name with no Origin', { host: 'miner.attacker.example' }],
    ['an IP-looking name', { host: '192.168.1.50.attacker.example' }],
    ['a sandboxed frame', { origin: 'null', host: '192.168.1.50' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', host: '192.168.1.50' }],
  ])('%s', (_name, headers) => {
    const host = fakeHost();
    const r = handleRequest(patch({ power: 3 }, { ...good, ...headers }), host);
    expect(r.status).toBe(403);
    expect(host.saved).toBe(0);
    const restart: HttpRequest = { method: 'POST', path: '/api/system/restart', headers: { ...good, ...headers }, body: '' };
    expect(handleRequest(restart, host).status).toBe(403);
    expect(host.restarts).toBe(0);
  });

  it('a first-run device with no password is not open to other origins either', () => {
    const host = { ...fakeHost({ adminPassword: '' }), firstRun: true };
    const restart: HttpRequest = { method: 'POST', path: '/api/system/restart', headers: { origin: 'http://evil.example', host: '192.168.4.1', 'content-type': 'text/plain' }, body: '' };
    expect(handleRequest(restart, host).status).toBe(403);
    expect(handleRequest({ ...restart, headers: { host: '192.168.4.1', origin: 'http://192.168.4.1' } }, host).status).toBe(200);
  });

  it.each([
    ['the device page itself', { origin: 'http://192.168.1.50', host: '192.168.1.50' }],
    ['the page on a port', { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' }],
    ['an mDNS name', { origin: 'http://kilohash.local', host: 'kilohash.local' }],
    ['IPv6', { origin: 'http://[fe80::1]', host: '[fe80::1]' }],
    ['a tool without Origin (curl)', { host: '192.168.1.50' }],
    ['same-origin fetch metadata', { 'sec-fetch-site': 'same-origin', origin: 'http://192.168.1.50', host: '192.168.1.50' }],
  ])('allows %s', (_name, headers) => {
    expect(writeOriginProblem(headers)).toBeNull();
    const host = fakeHost();
    expect(handleRequest(patch({ power: 3 }, { ...good, ...headers }), host).status).toBe(200);
  });
});

describe('mutated input never crashes the handlers or slips a change through', () => {
  const methods = fc.constantFrom('GET', 'PATCH', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'get', 'patch', '', 'P\u0000TCH');
  const paths = fc.oneof(
    fc.constantFrom('/', '/api/system', '/api/system/', '/api/system/restart', '/api/system/settings', '/api/status', '//api//system', '/settings', '/api/system/pools/1', '/api/system/pools/0', '/api/system/pause', '/api/theme'),
    fc.string({ maxLength: 1200 }),
  );
  const headerNames = fc.constantFrom('authorization', 'x-password', 'origin', 'host', 'sec-fetch-site', 'content-type', 'content-length', 'x-other');
  const headers = fc.dictionary(headerNames, fc.oneof(fc.string(), fc.constant(`Bearer ${PASSWORD}`), fc.constant('http://192.168.1.50'), fc.constant('192.168.1.50')), { maxKeys: 6 });
  const bodies = fc.oneof(fc.string({ maxLength: 300 }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('{"power":3'), fc.string({ minLength: MAX_BODY_BYTES + 1, maxLength: MAX_BODY_BYTES + 2 }));

  it('handleRequest answers every request with a JSON or HTML response and changes settings only with the password', () => {
    fc.assert(
      fc.property(methods, paths, headers, bodies, (method, path, h, body) => {
        const host = fakeHost();
        const before = JSON.stringify(host.current);
        const r = handleRequest({ method, path, headers: h, body, client: '10.0.0.1' }, host, new PasswordThrottle(() => 0));
        expect([200, 204, 400, 401, 403, 404, 405, 413, 414, 429, 501]).toContain(r.status);
        if (r.contentType === 'application/json') JSON.parse(r.body);
        else expect(r.contentType).toMatch(/^text\/(html|plain)/);
        const authorised = h['authorization'] === `Bearer ${PASSWORD}` || (h['authorization'] === undefined && h['x-password'] === PASSWORD);
        if (!authorised || r.status !== 200) expect(JSON.stringify(host.current)).toBe(before);
        if (host.saved > 0) expect(applySettings(DEFAULT_SETTINGS, host.current).ok).toBe(true);
      }),
      { numRuns: 3000, seed: 0x5ec0de },
    );
  });

  it('the settings validator takes any JSON and mutated valid settings, and what it accepts is valid', () => {
    const valid = { ...DEFAULT_SETTINGS, stratumUser: 'bc1qexample', adminPassword: PASSWORD, wifiSSID: 'home', wifiPassword: 'longenough' };
    const keys = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
    const mutated = fc.record({
      key: fc.constantFrom(...keys),
      value: fc.oneof(fc.jsonValue(), fc.string({ maxLength: 200 }), fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(mutated, { maxLength: 4 }).map((ms) => Object.fromEntries(ms.map((m) => [m.key, m.value])))), (p) => {
        const r = applySettings(valid, p);
        if (r.ok) {
          // Accepted settings are a fixed point: validating them again changes nothing.
          const again = applySettings(DEFAULT_SETTINGS, r.settings);
          expect(again.ok).toBe(true);
          if (again.ok) expect(again.settings).toEqual(r.settings);
          for (const k of keys) expect(typeof r.settings[k]).toBe(typeof DEFAULT_SETTINGS[k]);
        } else {
          expect(Object.keys(r.errors).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000, seed: 0x5e77 },
    );
  });
});

describe('the node server bounds what it reads', () => {
  let server: ApiServer;
  const host = fakeHost();

  beforeAll(async () => {
    server = await startApiServer(host, 0);
  });
  afterAll(async () => server?.close());

  /** One raw request; resolves with the status line (or '' when the server just closed). */
  function raw(bytes: string | Buffer): Promise<string> {
    return new Promise((resolve) => {
      const s = net.connect(server.port, '127.0.0.1');
      let got = '';
      s.on('data', (d) => { got += d.toString('latin1'); });
      s.on('error', () => resolve(got.split('\r\n')[0] ?? ''));
      s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
      s.end(bytes);
    });
  }

  it('answers 431 to headers over the bound, 413 to a body over it, 429 with Retry-After', async () => {
    expect(await raw(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES + 10)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(await raw(`PATCH /api/system HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${big.length}\r\n\r\n${big}`)).toMatch(/^HTTP\/1\.1 413/);
    const wrong = await fetch(`${server.url}api/system`, { method: 'PATCH', headers: { authorization: 'Bearer not-it-at-all' }, body: '{}' });
    expect(wrong.status).toBe(403);
    const held = await fetch(`${server.url}api/system`, { method: 'PATCH', headers: { authorization: `Bearer ${PASSWORD}` }, body: '{"power":3}' });
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('1');
    expect(host.saved).toBe(0);
  });

  it('lets any page read (as AxeOS does, for swarm dashboards) but no page elsewhere write, password or not', async () => {
    const pre = await fetch(`${server.url}api/system`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PATCH' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    // Only Content-Type may be sent cross-origin: a page cannot even attach a password.
    expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
    const get = await fetch(`${server.url}api/system/settings`, { headers: { origin: 'http://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(await get.json()).toMatchObject({ adminPassword: true });
    const write = await fetch(`${server.url}api/system`, { method: 'PATCH', headers: { origin: 'http://evil.example', authorization: `Bearer ${PASSWORD}` }, body: '{"power":7}' });
    expect(write.status).toBe(403);
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stays up through mutated raw requests', async () => {
    const valid = 'GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(valid.length - 1), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('flip', 'insert', 'delete') }), { minLength: 1, maxLength: 6 }), async (edits) => {
        const b = [...Buffer.from(valid, 'latin1')];
        for (const e of edits) {
          const at = Math.min(e.at, b.length - 1);
          if (e.kind === 'flip') b[at] = e.byte;
          else if (e.kind === 'insert') b.splice(at, 0, e.byte);
          else b.splice(at, 1);
        }
        const line = await raw(Buffer.from(b));
        expect(line === '' || /^HTTP\/1\.1 \d{3}/.test(line)).toBe(true);
      }),
      { numRuns: 200, seed: 0xbad5eed },
    );
    expect((await fetch(`${server.url}api/status`)).status).toBe(200);
  });
});
