/**
 * Uploads kh-bridge.js to an Espruino board with EspruinoTools (the `espruino` package, used as
 * a library), saved to the board's flash so it is there after a reset, with the SPI pins the
 * user chose as its defaults; then checks that the board runs this very upload and has the pins.
 *
 * EspruinoTools keeps its state in globals and talks through console.log: it is loaded once
 * per process, and its chatter is kept for the error message instead of printed.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { BridgeSpi } from './espruino-link.ts';
import { closeConsolePort, openConsolePort, parseConsolePort } from '../serial/console-port.ts';

const BRIDGE_PATH = new URL('./kh-bridge.js', import.meta.url);

/** SPI1 pins of boards whose pinout is known; the chip select is a plain GPIO we chose. */
export const BOARD_PINS: Record<string, Required<Omit<BridgeSpi, 'baud'>>> = {
  // Espruino Pico (STM32F401): SPI1 on B3/B4/B5.
  pico: { sck: 'B3', miso: 'B4', mosi: 'B5', cs: 'B6' },
  // ESP32 running Espruino: SPI1 is HSPI, GPIO 14/12/13, its usual CS on 15.
  esp32: { sck: 'D14', miso: 'D12', mosi: 'D13', cs: 'D15' },
};

export function bridgeSource(): string {
  return readFileSync(BRIDGE_PATH, 'utf8');
}

/**
 * The bridge with the chosen pins as KH.start's defaults, and a mark of this upload last, so
 * that only an upload that arrived whole can be mistaken for this one.
 */
export function bridgeProgram(spi: BridgeSpi, uploadMark = 'unmarked'): string {
  const defaults = Object.fromEntries(Object.entries(spi).filter(([, v]) => v !== undefined));
  return `${bridgeSource()}\nKH.defaults = ${JSON.stringify(defaults)};\nKH.upload = ${JSON.stringify(uploadMark)};\n`;
}

interface EspruinoTools {
  init(cb: () => void): void;
  sendCode(port: string, code: string, cb: (response?: string) => void): void;
  expr(port: string, expr: string, cb: (result?: string) => void): void;
}

interface EspruinoGlobal {
  Config: Record<string, unknown>;
}

let tools: EspruinoTools | undefined;

/** Runs `fn` with console.log/warn/info captured into `into`. */
async function quietly<T>(into: string[], fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, info: console.info, error: console.error };
  const keep = (...args: unknown[]) => { if (into.length < 200) into.push(args.map(String).join(' ')); };
  console.log = keep;
  console.warn = keep;
  console.info = keep;
  console.error = keep;
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

async function loadTools(chatter: string[]): Promise<EspruinoTools> {
  if (tools) return tools;
  const t = createRequire(import.meta.url)('espruino') as EspruinoTools;
  await quietly(chatter, () => new Promise<void>((resolve) => t.init(resolve)));
  const g = (globalThis as unknown as { Espruino: EspruinoGlobal }).Espruino;
  // Straight to flash (.bootcde), then load(): the bridge survives a reset and runs now.
  g.Config.SAVE_ON_SEND = 1;
  g.Config.RESET_BEFORE_SEND = false;
  g.Config.MINIFICATION_LEVEL = '';
  // Bluetooth backends would look for BlueZ on D-Bus (and crash the process without one);
  // kilohash reaches boards over serial or TCP only.
  g.Config.BLUETOOTH_LOW_ENERGY = false;
  g.Config.BLUETOOTH_LOW_ENERGY_DBUS = false;
  g.Config.WEB_BLUETOOTH = false;
  tools = t;
  return t;
}

export interface UploadResult {
  bytes: number;
  version: string;
}

export class UploadError extends Error {
  constructor(message: string, readonly chatter: string[]) {
    super(message);
    this.name = 'UploadError';
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, chatter: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new UploadError(`${what}: no end within ${ms / 1000} s`, chatter)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

export async function uploadBridge(port: string, spi: BridgeSpi, timeoutMs = 60_000): Promise<UploadResult> {
  const p = parseConsolePort(port);
  const target = p.kind === 'tcp' ? `tcp://${p.host}:${p.port}` : p.path;
  // EspruinoTools reports a missing or refused port only by never finishing: open it first,
  // for a message that names the cause.
  await closeConsolePort(await openConsolePort(p));
  const chatter: string[] = [];
  const t = await loadTools(chatter);
  // An earlier bridge may still be in the board's RAM: only this mark proves this upload ran.
  const mark = randomUUID();
  const code = bridgeProgram(spi, mark);
  const config = (globalThis as unknown as { Espruino: EspruinoGlobal }).Espruino.Config;
  // EspruinoTools opens only ports it has listed: TCP consoles are listed from this setting.
  if (p.kind === 'tcp') config.SERIAL_TCPIP = [target];
  else config.BAUD_RATE = String(p.baud);
  const response = await quietly(chatter, () => withTimeout(
    new Promise<string | undefined>((resolve) => t.sendCode(target, code, resolve)),
    timeoutMs, `uploading to ${port}`, chatter,
  ));
  if (response === undefined) throw new UploadError(`could not connect to ${port}: ${lastWords(chatter)}`, chatter);
  const version = await quietly(chatter, () => withTimeout(
    new Promise<string | undefined>((resolve) => t.expr(target, `typeof KH === "object" && KH.upload === "${mark}" ? KH.VERSION : "none"`, resolve)),
    15_000, `checking the bridge on ${port}`, chatter,
  ));
  if (version === undefined || unquote(version) === 'none') {
    throw new UploadError(`the upload to ${port} did not complete: the board does not run the bridge just sent (it answered ${JSON.stringify(version ?? null)}); upload again: ${lastWords(chatter)}`, chatter);
  }
  const missing = await quietly(chatter, () => withTimeout(
    new Promise<string | undefined>((resolve) => t.expr(target, 'KH.missingPins()', resolve)),
    15_000, `checking the pins on ${port}`, chatter,
  ));
  const gone = unquote(missing);
  if (gone !== '') throw new UploadError(`the bridge is saved on ${port}, but the board has no pin for ${gone}: upload again with pins it has (--sck, --mosi, --miso, --cs)`, chatter);
  return { bytes: code.length, version: unquote(version) };
}

/** EspruinoTools hands back an expression's value as the REPL printed it: ' "1.0.0" '. */
function unquote(value: string | undefined): string {
  const text = String(value ?? '').trim();
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : text;
  } catch {
    return text;
  }
}

function lastWords(chatter: string[]): string {
  const said = chatter.filter((l) => !l.startsWith('Found ')).slice(-3).join(' / ');
  return said === '' ? 'EspruinoTools said nothing' : said;
}
