/**
 * Serves src/ui's request handlers over node:http (the device serves the same handlers with
 * Moddable's http Server). Bodies and headers are bounded (node answers 431 to headers over
 * MAX_HEADER_BYTES); wrong admin passwords slow their sender; every other response is one of
 * the handlers'. Also:
 * - AxeOS's WebSockets: `/api/ws/live` (the info object, then what changed, every second) and
 *   `/api/ws` (log lines as they are written);
 * - `www`: a folder of static files served for every GET outside /api — a built AxeOS web UI
 *   (`kilohash demo --www <dist>`), with index.html for its client-side routes.
 */
import { createReadStream, statSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { type ApiHost, handleRequest } from '../../src/ui/api.ts';
import { LiveFeed, logSocketLine } from '../../src/ui/axeos/live.ts';
import { PasswordThrottle } from '../../src/ui/request-guard.ts';
import { answer, boundedServer, close, listen, splitTarget } from '../http/node-adapter.ts';

export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  port: number;
  bind?: string;
  /** A folder of static files (a built AxeOS) served for GETs outside /api. */
  www?: string;
  /** Live feed period (default 1 s). */
  liveMs?: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.pdf': 'application/pdf', '.txt': 'text/plain',
};

/** At most this many WebSocket clients at once (the device holds fewer). */
const MAX_SOCKETS = 16;

export async function startApiServer(host: ApiHost, portOrOptions: number | ApiServerOptions, bindArg = '127.0.0.1'): Promise<ApiServer> {
  const o: ApiServerOptions = typeof portOrOptions === 'number' ? { port: portOrOptions, bind: bindArg } : portOrOptions;
  const bind = o.bind ?? '127.0.0.1';
  const throttle = new PasswordThrottle(() => Date.now());
  const server = boundedServer((req, res) => {
    const [target] = splitTarget(req.url ?? '/');
    if (o.www && (req.method === 'GET' || req.method === 'HEAD') && !target.startsWith('/api/') && serveStatic(o.www, target, res)) return;
    answer(req, res, (r) => handleRequest(r, host, throttle));
  });

  // AxeOS's sockets: read-only feeds, so any page may open them, as any page may GET.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const live = new Set<WebSocket>();
  const logs = new Set<WebSocket>();
  const feed = new LiveFeed(() => host.info() as object);
  const stopLogs = host.axeos?.listenLogs((line, level) => {
    for (const ws of logs) if (ws.bufferedAmount < 65_536) ws.send(logSocketLine(line, level));
  });
  server.on('upgrade', (req, socket, head) => {
    const [target] = splitTarget(req.url ?? '/');
    const kind = target === '/api/ws/live' ? live : target === '/api/ws' && host.axeos ? logs : null;
    if (kind === null || live.size + logs.size >= MAX_SOCKETS) {
      socket.end(`HTTP/1.1 ${kind === null ? '404 Not Found' : '503 Service Unavailable'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      kind.add(ws);
      ws.on('close', () => kind.delete(ws));
      ws.on('error', () => kind.delete(ws));
      if (kind === live) ws.send(feed.full());
      else for (const e of host.axeos?.recentLogs() ?? []) ws.send(logSocketLine(e.line, e.level));
    });
  });
  const tick = setInterval(() => {
    if (live.size === 0) return feed.reset();
    const msg = feed.next();
    if (msg !== null) for (const ws of live) if (ws.bufferedAmount < 262_144) ws.send(msg);
  }, o.liveMs ?? 1000);
  tick.unref();

  const actual = await listen(server, o.port, bind);
  return {
    port: actual,
    url: `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${actual}/`,
    close: () => {
      clearInterval(tick);
      stopLogs?.();
      for (const ws of [...live, ...logs]) ws.terminate();
      sockets.close();
      return close(server);
    },
  };
}

/** Serves `target` from `root` (index.html for a path without a file); false: not ours to answer. */
function serveStatic(root: string, target: string, res: http.ServerResponse): boolean {
  let rel: string;
  try {
    rel = decodeURIComponent(target);
  } catch {
    return false;
  }
  const base = path.resolve(root);
  let file = path.resolve(base, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== base && !file.startsWith(base + path.sep)) return false;
  const isFile = (f: string) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  };
  if (!isFile(file)) {
    // The UI's own routes (/pool, /settings, …) are index.html; missing assets are 404s.
    if (path.extname(file) !== '') return false;
    file = path.join(base, 'index.html');
    if (!isFile(file)) return false;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
  return true;
}
