/**
 * node:http in front of a pure request handler (HttpRequest → HttpResponse, as src/ui's are):
 * the body bounded to MAX_BODY_BYTES (413 past it), headers lower-cased, the client's address
 * passed on (it keys the wrong-password delay), nothing cached. The miner's API server and the
 * classroom pool's page server both answer through it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequest, HttpResponse } from '../../src/ui/api.ts';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADERS } from '../../src/ui/request-guard.ts';

export type Handler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** Reads the request whole (bounded), answers with `handler`'s response. */
export function answer(req: http.IncomingMessage, res: http.ServerResponse, handler: Handler): void {
  const [path, query] = splitTarget(req.url ?? '/');
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      if (!refused) {
        refused = true;
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `body over ${MAX_BODY_BYTES} bytes` }));
      }
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (refused) return;
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
    void Promise.resolve(handler({
      method: req.method ?? 'GET',
      path,
      ...(query !== undefined ? { query } : {}),
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      client: req.socket.remoteAddress ?? '',
    }))
      .catch((e: unknown): HttpResponse => ({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) }))
      .then((r) => {
        res.writeHead(r.status, { ...r.headers, 'content-type': r.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : r.body);
      });
  });
}

/** A node:http server with the header limits the device has too. */
export function boundedServer(listener: http.RequestListener): http.Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, listener);
  server.maxHeadersCount = MAX_HEADERS;
  return server;
}

/** Listens; resolves with the port (0 asks for any free one). */
export async function listen(server: http.Server, port: number, bind: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every connection it holds. */
export function close(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export function splitTarget(url: string): [string, string | undefined] {
  const q = url.indexOf('?');
  return q < 0 ? [url, undefined] : [url.slice(0, q), url.slice(q + 1)];
}
