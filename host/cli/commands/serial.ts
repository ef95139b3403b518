/**
 * `kilohash serial` — the board from the desk, over a serial port. `list`: the ports and what
 * each probably is. `monitor`: the board's console, live, its status lines in the one-line view
 * `kilohash mine` prints, followed through resets and unplugging. `setup`: settings over the
 * console (src/app/console-commands.ts), each field's verdict from the board. `virtual-board`:
 * the UART core on a pseudo-terminal, for `--core serial:<path>` without a board.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ConsoleLine } from '../../../src/app/console-line.ts';
import type { MinerStatus } from '../../../src/miner/status.ts';
import { followPort, type MonitorEvent } from '../../serial/monitor.ts';
import { ConsoleSession } from '../../serial/setup.ts';
import { closeConsolePort, openConsolePort, parseConsolePort } from '../../serial/console-port.ts';
import { listPorts, type PortRow } from '../../serial/ports.ts';
import { startVirtualBoard, VIRTUAL_BOARD_CORES, type VirtualBoardCore } from '../../serial/virtual-board.ts';
import { MAX_LANES } from '../../rtl/simulators.ts';
import { UART_DEFAULT_BAUD } from '../../../src/core/protocol.ts';
import { UsageError } from '../errors.ts';
import { consolePortOption, intOption, positiveNumberOption } from '../options.ts';
import { jsonLine, runUntilStopped } from '../run-until.ts';
import { statusLine } from './miner-format.ts';

export function describeRow(r: PortRow): string {
  const facts = [r.usb ?? 'not USB', r.serialNumber ? `serial ${r.serialNumber}` : null, r.manufacturer].filter(Boolean).join(', ');
  return `${r.path}  (${facts})${r.probably ? `\n    probably ${r.probably}` : ''}`;
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
    case 'reply':
      return `reply: ${JSON.stringify(l.reply)}`;
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

/** `--set field=value`, repeatable. */
function collectSet(value: string, previous: Array<[string, string]>): Array<[string, string]> {
  const eq = value.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError(`expected field=value, got '${value}'`);
  return [...previous, [value.slice(0, eq), value.slice(eq + 1)]];
}

interface SetupFlags {
  port?: string;
  wifiSsid?: string;
  wifiPassword?: string;
  pool?: string;
  user?: string;
  poolPassword?: string;
  set: Array<[string, string]>;
  adminPassword?: string;
  restart?: boolean;
  json?: boolean;
}

/** The settings a setup run changes, in the order they are sent; secrets are never echoed. */
function setupFields(f: SetupFlags): Array<[string, string]> {
  const named: Array<[string, string | undefined]> = [
    ['wifiSSID', f.wifiSsid], ['wifiPassword', f.wifiPassword], ['stratumURL', f.pool], ['stratumUser', f.user], ['stratumPassword', f.poolPassword],
  ];
  return [...named.filter((n): n is [string, string] => n[1] !== undefined), ...f.set];
}

export function registerSerial(program: Command, print: (s: string) => void): void {
  const serial = program.command('serial').description("the board's serial ports: list them, follow a console, set a board up; a virtual UART board");
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
    .option('--port <port>', 'serial path with optional @baud (default 115200), or tcp://host:port; default: the one board console `serial list` finds', consolePortOption)
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
  serial
    .command('setup')
    .description("configures a board over its console: each field's verdict from the board, then save (and restart)")
    .option('--port <port>', 'serial path with optional @baud, or tcp://host:port; default: the one board console `serial list` finds', consolePortOption)
    .option('--wifi-ssid <ssid>', 'Wi-Fi network to join')
    .option('--wifi-password <pw>', 'Wi-Fi password')
    .option('--pool <url>', 'pool URL, stratum+tcp://host:port')
    .option('--user <user>', 'pool user: your address, .worker after it')
    .option('--pool-password <pw>', "pool password (e.g. x, or x,watts=2.5 for a classroom pool)")
    .option('--set <field=value>', 'any other setting by its name (repeatable)', collectSet, [] as Array<[string, string]>)
    .option('--admin-password <pw>', "the board's admin password, once one is set; also KILOHASH_ADMIN_PASSWORD")
    .option('--restart', 'reconnect with the new settings once saved')
    .option('--json', 'one JSON object: each field\'s verdict and the save')
    .action(async (f: SetupFlags) => {
      const fields = setupFields(f);
      if (fields.length === 0) throw new UsageError('nothing to set: give --wifi-ssid, --pool, --user, … or --set field=value');
      for (const [name, value] of fields) if (/[\r\n]/.test(value)) throw new UsageError(`--${name}: a value is one line`);
      const port = parseConsolePort(f.port ?? (await guessConsole()));
      const stream = await openConsolePort(port);
      const session = new ConsoleSession(stream, port.text);
      const out: { fields: Record<string, { ok: boolean; error?: string }>; saved: boolean; error?: string; restarted?: boolean } = { fields: {}, saved: false };
      try {
        const admin = f.adminPassword ?? process.env.KILOHASH_ADMIN_PASSWORD;
        if (admin !== undefined) {
          const a = await session.send(`kh auth ${admin}`);
          if (a.ok !== true) throw new Error(`${port.text}: the board refused the admin password: ${String(a.error)}`);
        }
        for (const [name, value] of fields) {
          const r = await session.send(`kh set ${name} ${value}`);
          out.fields[name] = r.ok === true ? { ok: true } : { ok: false, error: String(r.error) };
          if (!f.json) print(r.ok === true ? `${name}: ok` : `${name}: refused: ${String(r.error)}`);
        }
        if (Object.values(out.fields).some((v) => !v.ok)) {
          out.error = 'a field was refused; nothing was saved';
        } else {
          const saved = await session.send('kh save');
          out.saved = saved.ok === true;
          if (!out.saved) out.error = `the board refused the save: ${String(saved.error)}`;
          else if (f.restart) out.restarted = (await session.send('kh restart')).ok === true;
        }
      } finally {
        await closeConsolePort(stream);
      }
      if (f.json) print(JSON.stringify(out));
      if (!out.saved) throw new Error(`${port.text}: nothing was changed: ${out.error}`);
      if (!f.json) print(`saved${out.restarted ? '; the board is reconnecting with the new settings' : ' (kilohash serial setup --restart, or restart the board, to use them)'}`);
    });
  serial
    .command('virtual-board')
    .description('serves the UART core (as an iCEBreaker runs it) on a pseudo-terminal until stopped; prints the terminal\'s path on the first line')
    .option('--core <core>', `what answers: ${VIRTUAL_BOARD_CORES.join(' (the RTL) or ')} (the behavioural model)`, virtualCoreOption, 'verilator' as VirtualBoardCore)
    .option('--engines <n>', 'hashing engines (lanes) built into the core', intOption(1, MAX_LANES), 3)
    .option('--clock-mhz <f>', 'the core clock it reports and counts its bit time in', positiveNumberOption, 24)
    .option('--baud <rate>', 'the baud rate its UART is built for (over a pty any rate opens it)', intOption(300, 12_000_000), UART_DEFAULT_BAUD)
    .option('--duration <s>', 'stop after this many seconds', positiveNumberOption)
    .action(async (o: { core: VirtualBoardCore; engines: number; clockMhz: number; baud: number; duration?: number }) => {
      if (o.core === 'verilator') process.stderr.write('building the RTL simulation (Verilator; a minute the first time, then cached in build/sim)\n');
      const board = await startVirtualBoard({ core: o.core, engines: o.engines, clockHz: Math.round(o.clockMhz * 1e6), baud: o.baud }).catch((err: Error) => {
        throw err instanceof RangeError ? new UsageError(err.message) : err;
      });
      print(board.path);
      process.stderr.write(`${board.describe}\non ${board.path}: try kilohash scan --core serial:${board.path} --header … (Ctrl-C stops)\n`);
      const until = runUntilStopped(o.duration);
      try {
        await Promise.race([until.done, board.failed]);
      } finally {
        until.dispose();
        await board.close();
      }
    });
}

function virtualCoreOption(value: string): VirtualBoardCore {
  const core = VIRTUAL_BOARD_CORES.find((c) => c === value);
  if (core === undefined) throw new InvalidArgumentError(`expected ${VIRTUAL_BOARD_CORES.join(' or ')}`);
  return core;
}
