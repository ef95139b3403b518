/**
 * Serves src/ui's handlers (status API, settings, dashboard, firmware update) with Moddable's
 * `http` Server, the same handlers the host serves with node:http. The Server calls back once
 * per step of a request with `this` as that request; the pieces are gathered per request and
 * answered in one response, sent in pieces as the socket has room. Bodies over MAX_BODY_BYTES
 * are refused before they are read, except a firmware image, which streams into the update
 * partition fragment by fragment.
 */
import { Server } from 'http';
import { type ApiHost, type HttpRequest, MAX_BODY_BYTES, handleRequest } from '../../ui/api.ts';
import { OTA_PATH, OtaUpload, startOta, type OtaTarget } from '../../ui/ota.ts';

export interface OtaService {
  open(byteLength: number): OtaTarget;
  /** Restarts into the new image; called once the response has gone out. */
  reboot(): void;
}

interface Pending {
  request: HttpRequest;
  tooLarge: boolean;
  /** A firmware upload under way, or the response that refused it. */
  ota?: OtaUpload | { status: number; contentType: string; body: string };
  /** The response body as UTF-8, and how much of it has gone out. */
  out?: ArrayBuffer;
  sent: number;
}


export function serveApi(host: ApiHost, port = 80, ota?: OtaService): { close(): void } {
  const server = new Server({ port });
  const pending = new WeakMap<object, Pending>();
  server.callback = function (message, value1, value2) {
    switch (message) {
      case Server.status:
        pending.set(this, { request: { method: String(value2), path: String(value1).split('?')[0]!, headers: {}, body: '' }, tooLarge: false, sent: 0 });
        return;
      case Server.header: {
        const p = pending.get(this);
        if (!p) return;
        const name = String(value1).toLowerCase();
        p.request.headers[name] = String(value2);
        if (name === 'content-length' && Number(value2) > MAX_BODY_BYTES) p.tooLarge = true;
        return;
      }
      case Server.headersComplete: {
        const p = pending.get(this);
        if (!p) return undefined;
        if (ota && p.request.path === OTA_PATH) {
          p.ota = startOta(p.request, host.settings(), (n) => ota.open(n));
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
        let r;
        if (p.ota instanceof OtaUpload) {
          r = p.ota.finish();
          if (p.ota.succeeded) trace('kilohash: firmware update verified; restarting\n');
        } else if (p.ota) r = p.ota;
        else if (p.tooLarge) r = { status: 413, contentType: 'application/json', body: JSON.stringify({ error: `body over ${MAX_BODY_BYTES} bytes` }) };
        else r = handleRequest(p.request, host);
        // The body goes out in pieces the socket has room for (responseFragment): given whole,
        // the SDK writes it in one go and a body larger than the socket's buffer never leaves.
        p.out = ArrayBuffer.fromString(r.body);
        return { status: r.status, headers: ['Content-Type', r.contentType, 'Cache-Control', 'no-store', 'Content-Length', String(p.out.byteLength)], body: true };
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
