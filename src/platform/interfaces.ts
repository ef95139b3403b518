/**
 * The platform services src/ is given, never imports: each runtime (Moddable on the device,
 * Node on the host, a test's fake) implements these. Shaped like Moddable's ECMA-419 IO
 * classes — one options object with callbacks — so the device adapters stay thin.
 */

/** Monotonic milliseconds and one-shot timers (Moddable: module `timer`; Node: setTimeout). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = unknown;

export interface TransportOptions {
  host: string;
  port: number;
  /** `stratum+ssl://`: a transport that cannot do TLS must fail the connection, never downgrade. */
  tls: boolean;
  /** The connection is up and writable. */
  onConnect(): void;
  onData(data: Uint8Array): void;
  /** The connection is gone (remote close, error, or our close()); called once. */
  onClose(reason: string): void;
}

/** A byte stream to a pool (TCP or TLS). */
export interface Transport {
  write(data: Uint8Array): void;
  close(): void;
}

export type TransportFactory = (options: TransportOptions) => Transport;

/** Where log lines go: trace() on the device, stderr or JSON lines on the host. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, text: string) => void;

/**
 * Small persistent key → text values (Moddable: `preference`, NVS; host: a JSON file). Keys
 * ≤ 15 characters and values ≤ 4000 bytes, the device's limits. Reads of missing or damaged
 * entries return undefined; callers fall back to defaults.
 */
export interface Storage {
  read(key: string): string | undefined;
  write(key: string, value: string): void;
}

/**
 * The board's serial console (its USB serial port), where the owner types set-up commands and
 * reads the log (src/app/console-session.ts). Text out is queued in a bounded buffer: a port
 * nobody reads cannot fill the heap, and what does not fit is dropped, never blocking mining.
 */
export interface ConsolePort {
  /** Where the console is, for the log ("/dev/ttyUSB0 at 115200 baud", "UART0 at 115200 baud"). */
  readonly name: string;
  /** Starts handing over received bytes. */
  listen(onBytes: (bytes: Uint8Array) => void): void;
  /** Queues text to send. */
  write(text: string): void;
}
