/**
 * Serves src/ui's handlers (status API, settings, dashboard, firmware update) with Moddable's
 * `http` Server, the same handlers the host serves with node:http. The Server calls back once
 * per step of a request with `this` as that request; the pieces are gathered per request and
 * answered in one response, sent in pieces as the socket has room. Bodies over MAX_BODY_BYTES
 * are refused before they are read, except a firmware image, which streams into the update
 * partition fragment by fragment; a request target or headers over their bounds are refused
 * unread too (the SDK itself still gathers one header line whole before it calls back).
 */
import { Server } from 'http';
import { type ApiHost, type HttpRequest, type HttpResponse, handleRequest } from '../../ui/api.ts';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADERS, MAX_PATH_BYTES, PasswordThrottle } from '../../ui/request-guard.ts';
import { OTA_PATH, OtaUpload, startOta, type OtaTarget } from '../../ui/ota.ts';
import type { Clock } from '../interfaces.ts';
import { AxeosSockets } from './axeos-sockets.ts';

export interface OtaService {
  open(byteLength: number): OtaTarget;
  /** Restarts into the new image; called once the response has gone out. */
  reboot(): void;
}

interface Pending {
  request: HttpRequest;
  tooLarge: boolean;
  /** Header lines and bytes so far. */
  headerCount: number;
  headerBytes: number;
  /** A refusal decided before the body (target or headers over their bounds). */
  refused?: HttpResponse;
  /** A firmware upload under way, or the response that refused it. */
  ota?: OtaUpload | HttpResponse;
  /** The response body as UTF-8, and how much of it has gone out. */
  out?: ArrayBuffer;
  sent: number;
}


/** The client's address, as the SDK's socket gives it (undefined where it cannot). */
function remoteAddress(request: unknown): string | undefined {
  try {
    const socket = (request as { socket?: { get?(what: string): unknown } }).socket;
    const ip = socket?.get?.('REMOTE_IP');
    return typeof ip === 'string' ? ip : undefined;
  } catch {
    return undefined;
  }
}

export function serveApi(host: ApiHost, port = 80, ota?: OtaService, clock?: Clock): { close(): void } {
  const server = new Server({ port });
  const sockets = host.axeos && clock ? new AxeosSockets(clock, () => host.info() as object, host.axeos) : undefined;
  const pending = new WeakMap<object, Pending>();
  const throttle = new PasswordThrottle(() => Date.now());
  const refuse = (status: number, error: string): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify({ error }) });
  server.callback = function (message, value1, value2) {
    switch (message) {
      case Server.status: {
        const target = String(value1);
        const [path, query] = target.split('?') as [string, string | undefined];
        if (sockets && String(value2) === 'GET' && AxeosSockets.handles(path)) {
          // The rest of the request is the WebSocket handshake, which the websocket module reads.
          sockets.attach(path, server.detach(this));
          return;
        }
        const p: Pending = { request: { method: String(value2), path, ...(query !== undefined ? { query } : {}), headers: {}, body: '', client: remoteAddress(this) }, tooLarge: false, headerCount: 0, headerBytes: 0, sent: 0 };
        if (target.length > MAX_PATH_BYTES) {
          p.request.path = '/';
          p.refused = refuse(414, `request target over ${MAX_PATH_BYTES} bytes`);
        }
        pending.set(this, p);
        return;
      }
      case Server.header: {
        const p = pending.get(this);
        if (!p || p.refused) return;
        const name = String(value1).toLowerCase();
        const value = String(value2);
        p.headerCount++;
        p.headerBytes += name.length + value.length + 4;
        if (p.headerCount > MAX_HEADERS || p.headerBytes > MAX_HEADER_BYTES) {
          p.request.headers = {};
          p.refused = refuse(431, `request headers over ${MAX_HEADERS} lines or ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        p.request.headers[name] = value;
        if (name === 'content-length' && Number(value2) > MAX_BODY_BYTES) p.tooLarge = true;
        return;
      }
      case Server.headersComplete: {
        const p = pending.get(this);
        if (!p) return undefined;
        if (p.refused) return false;
        if (ota && p.request.path === OTA_PATH) {
          p.ota = startOta(p.request, host.settings(), (n) => ota.open(n), throttle);
          // true: the body arrives in fragments (requestFragment); false: it is skipped.
          return p.ota instanceof OtaUpload;
        }
        // Returning String asks for the body as text (unless it is too big to take); the SDK's
        // http.js takes the constructor here, which @moddable/typings does not allow for.
        return (p.tooLarge ? false : String) as unknown as string;
      }
      case Server.requestFragment: {
        const upload = pending.get(this)?.ota;
        if (upload instanceof OtaUpload) upload.write(this.read(ArrayBuffer) as ArrayBuffer);
        return;
      }
      case Server.requestComplete: {
        const p = pending.get(this);
        if (p && typeof value1 === 'string') p.request.body = value1;
        return;
      }
      case Server.prepareResponse: {
        const p = pending.get(this);
        if (!p) return { status: 500, headers: ['Content-Type', 'text/plain'], body: 'no request' };
        let r: HttpResponse;
        if (p.ota instanceof OtaUpload) {
          r = p.ota.finish();
          if (p.ota.succeeded) trace('kilohash: firmware update verified; restarting\n');
        } else if (p.refused) r = p.refused;
        else if (p.ota) r = p.ota;
        else if (p.tooLarge) r = refuse(413, `body over ${MAX_BODY_BYTES} bytes`);
        else r = handleRequest(p.request, host, throttle);
        // The body goes out in pieces the socket has room for (responseFragment): given whole,
        // the SDK writes it in one go and a body larger than the socket's buffer never leaves.
        p.out = ArrayBuffer.fromString(r.body);
        const headers = ['Content-Type', r.contentType, 'Cache-Control', 'no-store', 'Content-Length', String(p.out.byteLength)];
        for (const [k, v] of Object.entries(r.headers ?? {})) headers.push(k, v);
        // The SDK's reason table stops at 505 and lacks 429 and 431 (it would say "OK").
        const reason = r.status === 429 ? 'Too Many Requests' : r.status === 431 ? 'Request Header Fields Too Large' : undefined;
        return reason === undefined ? { status: r.status, headers, body: true } : { status: r.status, reason, headers, body: true };
      }
      case Server.responseFragment: {
        const p = pending.get(this);
        if (!p?.out || p.sent >= p.out.byteLength) return undefined;
        const piece = p.out.slice(p.sent, p.sent + Math.max(1, Number(value1)));
        p.sent += piece.byteLength;
        return piece;
      }
      case Server.responseComplete: {
        const upload = pending.get(this)?.ota;
        pending.delete(this);
        if (ota && upload instanceof OtaUpload && upload.succeeded) ota.reboot();
        return;
      }
      case Server.error: {
        const upload = pending.get(this)?.ota;
        if (upload instanceof OtaUpload) upload.abort();
        pending.delete(this);
        return;
      }
      default:
        return;
    }
  };
  return { close: () => server.close() };
}
