/**
 * Serves src/ui's request handlers over node:http (the device serves the same handlers with
 * Moddable's http Server). Bodies are bounded; every response is one of the handlers'.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiHost, MAX_BODY_BYTES, handleRequest } from '../../src/ui/api.ts';

export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(host: ApiHost, port: number, bind = '127.0.0.1'): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
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
        { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers, body: Buffer.concat(chunks).toString('utf8') },
        host,
      );
      res.writeHead(r.status, { 'content-type': r.contentType, 'cache-control': 'no-store' }).end(r.body);
    });
  });
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
