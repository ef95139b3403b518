/**
 * The firmware's application as it runs on the XS engine under xsnap (the proof that src/ runs
 * on real XS): src/app's MinerApp with every platform service supplied by the host through
 * xsnap's command channel. Bundled by host/xs/xs-miner.ts; nothing here may use Node or web APIs.
 *
 * Host → XS (handleCommand): {ev, now, …}   start · timer · connected · data · closed · ready · status · gc · stop
 * XS → host (issueCommand):  {op, …}        timer · cancel · connect · write · close · spi · event · log
 * Time on XS is the host's clock at the start of each delivery: XS only runs inside one.
 */
import type { CoreLink } from '../../src/core/link.ts';
import { DEVICE_HISTORY, MinerApp } from '../../src/app/miner-app.ts';
import { ConsoleCommands } from '../../src/app/console-commands.ts';
import { ConsoleSession } from '../../src/app/console-session.ts';
import { PasswordThrottle } from '../../src/ui/request-guard.ts';
import { applySettings, DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { MinerEvent, MinerOptions } from '../../src/miner/miner.ts';
import type { Clock, TransportFactory, TransportOptions } from '../../src/platform/interfaces.ts';
import { decodeUtf8, encodeUtf8 } from '../../src/stratum/utf8.ts';
import { bytesToHex, hexToBytes } from '../../src/work/bytes.ts';

declare function issueCommand(message: ArrayBuffer): ArrayBuffer;

function toBuffer(text: string): ArrayBuffer {
  const b = encodeUtf8(text);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function call(message: Record<string, unknown>): Record<string, unknown> {
  const reply = issueCommand(toBuffer(JSON.stringify(message)));
  return JSON.parse(decodeUtf8(new Uint8Array(reply))) as Record<string, unknown>;
}

let now = 0;
let nextId = 1;
const timers = new Map<number, () => void>();
let consoleSession: ConsoleSession | undefined;
/** What the console session wrote during the current delivery. */
let consoleOut: string[] = [];
const sockets = new Map<number, TransportOptions>();
const risers = new Set<() => void>();
let readyLevel = false;
let app: MinerApp | undefined;

const clock: Clock = {
  now: () => now,
  setTimeout(fn, ms) {
    const id = nextId++;
    timers.set(id, fn);
    call({ op: 'timer', id, ms });
    return id;
  },
  clearTimeout(handle) {
    if (typeof handle === 'number' && timers.delete(handle)) call({ op: 'cancel', id: handle });
  },
};

const transport: TransportFactory = (o) => {
  const id = nextId++;
  sockets.set(id, o);
  call({ op: 'connect', id, host: o.host, port: o.port, tls: o.tls });
  return {
    write(data) {
      if (!sockets.has(id)) throw new Error('connection is closed');
      call({ op: 'write', id, data: bytesToHex(data) });
    },
    close() {
      if (sockets.delete(id)) call({ op: 'close', id });
    },
  };
};

const link: CoreLink = {
  transfer(frame) {
    const r = call({ op: 'spi', frame: bytesToHex(frame) });
    frame.set(hexToBytes(r.frame as string));
    readyLevel = r.ready === true;
  },
  ready: {
    read: () => readyLevel,
    onRise(cb) {
      risers.add(cb);
      return () => risers.delete(cb);
    },
  },
};

/** Events go to the host as plain JSON (byte arrays and identities as the host needs them). */
function report(e: MinerEvent): void {
  call({ op: 'event', event: e.type === 'core-ready' ? { type: e.type, engines: e.identity.engines, selfTest: e.selfTest?.ok ?? null } : e });
}

(globalThis as unknown as { handleCommand(m: ArrayBuffer): ArrayBuffer }).handleCommand = (message) => {
  const m = JSON.parse(decodeUtf8(new Uint8Array(message))) as {
    ev: string; now: number; id?: number; data?: string; reason?: string;
    settings?: unknown; tuning?: Pick<MinerOptions, 'selfTest' | 'pollMs' | 'stratum'>; consoleStatusSeconds?: number;
  };
  now = m.now;
  switch (m.ev) {
    case 'start': {
      const settings = applySettings(DEFAULT_SETTINGS, m.settings);
      if (!settings.ok) {
        call({ op: 'log', level: 'error', text: `bad settings: ${JSON.stringify(settings.errors)}` });
        break;
      }
      app = new MinerApp({
        settings: settings.settings,
        clock,
        transport,
        openCore: () => link,
        log: (level, text) => call({ op: 'log', level, text }),
        hostname: 'xsnap',
        boardName: 'XS under xsnap (host model core)',
        runtime: 'XS (xsnap)',
        // The board's sizes, so the heap measured here is the board's.
        ...DEVICE_HISTORY,
        ...(m.consoleStatusSeconds !== undefined ? { consoleStatusSeconds: m.consoleStatusSeconds } : {}),
        ...(m.tuning ? { tuning: m.tuning } : {}),
        onEvent: report,
      });
      app.start().catch((e: unknown) => call({ op: 'log', level: 'error', text: `start failed: ${String(e)}` }));
      break;
    }
    case 'timer': {
      const fn = timers.get(m.id!);
      timers.delete(m.id!);
      fn?.();
      break;
    }
    case 'connected':
      sockets.get(m.id!)?.onConnect();
      break;
    case 'data':
      sockets.get(m.id!)?.onData(hexToBytes(m.data!));
      break;
    case 'closed': {
      const s = sockets.get(m.id!);
      sockets.delete(m.id!);
      s?.onClose(m.reason ?? 'closed');
      break;
    }
    case 'ready':
      readyLevel = true;
      for (const cb of risers) cb();
      break;
    case 'status':
      return toBuffer(JSON.stringify(app ? app.status() : null));
    case 'console':
      // Text as typed on the console, read by the same session a board reads its port with (boot.ts).
      consoleSession ??= app ? new ConsoleSession(new ConsoleCommands(app.api, new PasswordThrottle(() => now)), (t) => consoleOut.push(t)) : undefined;
      consoleOut = [];
      consoleSession?.push(encodeUtf8(m.data ?? ''));
      return toBuffer(JSON.stringify(consoleOut));
    case 'gc':
      // xsnap's own collector, so the heap count after this delivery is what is live.
      (globalThis as unknown as { gc?(): void }).gc?.();
      break;
    case 'stop':
      void app?.stop();
      break;
  }
  return toBuffer('{}');
};
