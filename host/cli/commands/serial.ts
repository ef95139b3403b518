/**
 * `kilohash serial` — the board from the desk, over a serial port. `list`: the ports and what
 * each probably is. `monitor`: the board's console, live, its status lines in the one-line view
 * `kilohash mine` prints, followed through resets and unplugging.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ConsoleLine } from '../../../src/app/console-line.ts';
import type { MinerStatus } from '../../../src/miner/status.ts';
import { parseConsolePort } from '../../espruino/port.ts';
import { followPort, type MonitorEvent } from '../../serial/monitor.ts';
import { listPorts, type PortRow } from '../../serial/ports.ts';
import { UsageError } from '../errors.ts';
import { positiveNumberOption } from '../options.ts';
import { jsonLine, runUntilStopped } from '../run-until.ts';
import { statusLine } from './miner-format.ts';

export function describeRow(r: PortRow): string {
  const facts = [r.usb ?? 'not USB', r.serialNumber ? `serial ${r.serialNumber}` : null, r.manufacturer].filter(Boolean).join(', ');
  return `${r.path}  (${facts})${r.probably ? `\n    probably ${r.probably}` : ''}`;
}

function portOption(value: string): string {
  try {
    parseConsolePort(value);
    return value.trim();
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

/** A console line as a person reads it; a status the monitor cannot read is shown as it came. */
export function showLine(l: ConsoleLine): string {
  switch (l.kind) {
    case 'status':
      try {
        return statusLine(l.status as unknown as MinerStatus);
      } catch {
        return `status (not one this monitor reads): ${JSON.stringify(l.status).slice(0, 300)}`;
      }
    case 'log':
      return `${l.level}: ${l.text}`;
    case 'other':
      return l.text;
  }
}

function showEvent(e: MonitorEvent): string {
  switch (e.type) {
    case 'open': return e.again ? `${e.port} is back` : `monitoring ${e.port} (Ctrl-C stops)`;
    case 'gone': return `${e.port} gone: ${e.why}; waiting for it to come back`;
    case 'line': return showLine(e.line);
    case 'overflow': return `(a line of ${e.bytes} bytes was dropped: over the limit)`;
  }
}

/** The one port that is probably a board's console, for `monitor` without --port. */
async function guessConsole(): Promise<string> {
  const rows = await listPorts();
  const consoles = rows.filter((r) => r.probably !== null && /console/.test(r.probably));
  if (consoles.length === 1) return consoles[0]!.path;
  const known = rows.length ? `; ports here: ${rows.map((r) => r.path).join(', ')}` : '; no serial ports found';
  throw new UsageError(`${consoles.length ? 'more than one board console' : 'no board console'} found: give --port${known}`);
}

export function registerSerial(program: Command, print: (s: string) => void): void {
  const serial = program.command('serial').description("the board's serial ports: list them, follow a console");
  serial
    .command('list')
    .description('serial ports with their USB VID:PID, serial number and what each probably is')
    .option('--json', 'one JSON array')
    .action(async (o: { json?: boolean }) => {
      const rows = await listPorts();
      if (o.json) return print(JSON.stringify(rows));
      if (rows.length === 0) return print('no serial ports found (a board on USB shows up here; on Linux as /dev/ttyACM* or /dev/ttyUSB*)');
      for (const r of rows) print(describeRow(r));
    });
  serial
    .command('monitor')
    .description("the board's console, live: log lines, status lines as `kilohash mine` shows them; follows the board through resets and unplugging")
    .option('--port <port>', 'serial path with optional @baud (default 115200), or tcp://host:port; default: the one board console `serial list` finds', portOption)
    .option('--duration <s>', 'stop after this many seconds', positiveNumberOption)
    .option('--json', 'one JSON object per line and event')
    .action(async (o: { port?: string; duration?: number; json?: boolean }) => {
      const port = parseConsolePort(o.port ?? (await guessConsole()));
      const follower = followPort({
        port,
        failFirst: true,
        onEvent: (e) => print(o.json ? jsonLine(e.type === 'line' ? { type: 'line', ...e.line } : { ...e }) : showEvent(e)),
      });
      await follower.opened;
      const until = runUntilStopped(o.duration);
      try {
        await until.done;
      } finally {
        until.dispose();
        await follower.stop();
      }
    });
}
