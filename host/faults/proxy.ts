/**
 * A fault-injecting TCP proxy for Stratum: sits between a miner and a pool and damages the
 * pool→miner stream the ways real networks and pools do — lines split into tiny reads or
 * merged, garbage and over-long lines, duplicated replies, delays, stalls, and connections
 * reset in the middle of a line. For testing that a miner loses no share under any of them.
 */
import net from 'node:net';

export type Fault =
  | { kind: 'split'; maxChunk: number }
  | { kind: 'merge'; windowMs: number }
  | { kind: 'garbage'; every: number }
  | { kind: 'overlong'; every: number; bytes: number }
  | { kind: 'duplicate-replies' }
  | { kind: 'delay'; ms: number }
  | { kind: 'stall'; afterLines: number; ms: number } // once, on the first connection that gets that far
  | { kind: 'reset'; afterBytes: number; times: number };

export class FaultProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private resets = 0;
  private stalled = false;
  connections = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly faults: Fault[],
  ) {}

  async start(): Promise<number> {
    const server = net.createServer((miner) => this.accept(miner));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private accept(miner: net.Socket): void {
    this.connections++;
    const pool = net.connect(this.target);
    this.sockets.add(miner).add(pool);
    const kill = () => {
      miner.destroy();
      pool.destroy();
      this.sockets.delete(miner);
      this.sockets.delete(pool);
    };
    miner.on('error', kill).on('close', kill);
    pool.on('error', kill).on('close', kill);
    miner.on('data', (d) => pool.write(d));

    let lineNo = 0;
    let sentBytes = 0;
    let stalledUntil = 0;
    let partial = '';
    let mergeBuf = '';
    let mergeTimer: NodeJS.Timeout | null = null;
    const has = <K extends Fault['kind']>(k: K) => this.faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === k);

    const deliver = (text: string) => {
      if (miner.destroyed) return;
      const reset = has('reset');
      if (reset && this.resets < reset.times && sentBytes + text.length > reset.afterBytes) {
        // Cut in the middle of this write: the miner sees half a line, then the reset.
        const cut = Math.max(1, reset.afterBytes - sentBytes);
        this.resets++;
        miner.write(text.slice(0, cut), () => kill());
        sentBytes = 0;
        return;
      }
      sentBytes += text.length;
      const split = has('split');
      if (split) {
        for (let i = 0; i < text.length; i += split.maxChunk) miner.write(text.slice(i, i + split.maxChunk));
      } else {
        miner.write(text);
      }
    };

    const emit = (text: string) => {
      const merge = has('merge');
      if (!merge) return deliver(text);
      mergeBuf += text;
      mergeTimer ??= setTimeout(() => {
        mergeTimer = null;
        const t = mergeBuf;
        mergeBuf = '';
        deliver(t);
      }, merge.windowMs);
    };

    const onLine = (line: string) => {
      lineNo++;
      let out = line + '\n';
      const garbage = has('garbage');
      if (garbage && lineNo % garbage.every === 0) out = '}{ not json ]\n\u0000\u00ff\n' + out;
      const overlong = has('overlong');
      if (overlong && lineNo % overlong.every === 0) out = '{"id":null,"method":"mining.notify","params":["' + 'f'.repeat(overlong.bytes) + '"]}\n' + out;
      if (has('duplicate-replies') && /"result"/.test(line)) out += line + '\n';
      const stall = has('stall');
      const now = Date.now();
      if (stall && lineNo === stall.afterLines && !this.stalled) {
        this.stalled = true;
        stalledUntil = now + stall.ms;
      }
      const delay = Math.max(has('delay')?.ms ?? 0, stalledUntil - now);
      if (delay > 0) setTimeout(() => emit(out), delay);
      else emit(out);
    };

    pool.on('data', (d: Buffer) => {
      partial += d.toString('utf8');
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        onLine(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    });
  }
}
