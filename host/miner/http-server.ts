/**
 * Serves src/ui's request handlers over node:http (the device serves the same handlers with
 * Moddable's http Server). Bodies and headers are bounded (node answers 431 to headers over
 * MAX_HEADER_BYTES); wrong admin passwords slow their sender; every other response is one of
 * the handlers'.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiHost, handleRequest } from '../../src/ui/api.ts';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADERS, PasswordThrottle } from '../../src/ui/request-guard.ts';

export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(host: ApiHost, port: number, bind = '127.0.0.1'): Promise<ApiServer> {
  const throttle = new PasswordThrottle(() => Date.now());
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
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
      const r = handleRequest(
        {
          method: req.method ?? 'GET',
          path: (req.url ?? '/').split('?')[0]!,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          client: req.socket.remoteAddress ?? '',
        },
        host,
        throttle,
      );
      res.writeHead(r.status, { ...r.headers, 'content-type': r.contentType, 'cache-control': 'no-store' }).end(r.body);
    });
  });
  server.maxHeadersCount = MAX_HEADERS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${actual}/`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
