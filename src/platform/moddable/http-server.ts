/**
 * Serves src/ui's handlers (status API, settings, dashboard) with Moddable's `http` Server,
 * the same handlers the host serves with node:http. The Server calls back once per step of a
 * request with `this` as that request; the pieces are gathered per request and answered in
 * one response. Bodies over MAX_BODY_BYTES are refused before they are read.
 */
import { Server } from 'http';
import { type ApiHost, type HttpRequest, MAX_BODY_BYTES, handleRequest } from '../../ui/api.ts';

interface Pending {
  request: HttpRequest;
  tooLarge: boolean;
}

export function serveApi(host: ApiHost, port = 80): { close(): void } {
  const server = new Server({ port });
  const pending = new WeakMap<object, Pending>();
  server.callback = function (message, value1, value2) {
    switch (message) {
      case Server.status:
        pending.set(this, { request: { method: String(value2), path: String(value1).split('?')[0]!, headers: {}, body: '' }, tooLarge: false });
        return;
      case Server.header: {
        const p = pending.get(this);
        if (!p) return;
        const name = String(value1).toLowerCase();
        p.request.headers[name] = String(value2);
        if (name === 'content-length' && Number(value2) > MAX_BODY_BYTES) p.tooLarge = true;
        return;
      }
      case Server.headersComplete:
        // Returning String asks for the body as text (unless it is too big to take).
        return pending.get(this)?.tooLarge ? undefined : String;
      case Server.requestComplete: {
        const p = pending.get(this);
        if (p && typeof value1 === 'string') p.request.body = value1;
        return;
      }
      case Server.prepareResponse: {
        const p = pending.get(this);
        pending.delete(this);
        if (!p) return { status: 500, headers: ['Content-Type', 'text/plain'], body: 'no request' };
        const r = p.tooLarge
          ? { status: 413, contentType: 'application/json', body: JSON.stringify({ error: `body over ${MAX_BODY_BYTES} bytes` }) }
          : handleRequest(p.request, host);
        return { status: r.status, headers: ['Content-Type', r.contentType, 'Cache-Control', 'no-store'], body: r.body };
      }
      default:
        return;
    }
  };
  return { close: () => server.close() };
}
