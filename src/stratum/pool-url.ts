/**
 * Pool addresses as users type them: `stratum+tcp://host:port`, `stratum+ssl://host:port`
 * (also `stratum+tls`, `ssl`, `tls`, `tcp`), or a bare `host:port`. IPv6 in brackets.
 */
import { InputError } from '../work/errors.ts';

export interface PoolEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

const SCHEMES: Record<string, boolean> = {
  'stratum+tcp': false,
  stratum: false,
  tcp: false,
  'stratum+ssl': true,
  'stratum+tls': true,
  ssl: true,
  tls: true,
};

export function parsePoolUrl(url: string): PoolEndpoint {
  const text = url.trim();
  let rest = text;
  let tls = false;
  const sep = text.indexOf('://');
  if (sep >= 0) {
    const scheme = text.slice(0, sep).toLowerCase();
    const isTls = SCHEMES[scheme];
    if (isTls === undefined) {
      throw new InputError('pool url', `unknown scheme '${scheme}' in '${url}' (use stratum+tcp:// or stratum+ssl://)`);
    }
    tls = isTls;
    rest = text.slice(sep + 3);
  }
  rest = rest.replace(/\/+$/, '');
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]+):(\d{1,5})$/.exec(rest);
  if (!m) throw new InputError('pool url', `expected host:port, e.g. stratum+tcp://pool.example:3333, got '${url}'`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new InputError('pool url', `port ${port} is out of range 1..65535`);
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port, tls };
}

export function formatPoolUrl(e: PoolEndpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.tls ? 'stratum+ssl' : 'stratum+tcp'}://${host}:${e.port}`;
}
