/**
 * A pseudo-terminal whose other side is this process: bytes a program writes to the terminal's
 * path arrive through `onData`, and `write` sends bytes back to it. Opened by pty-bridge.py
 * (Python's standard library; Node has no pty without a native addon).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BRIDGE = fileURLToPath(new URL('./pty-bridge.py', import.meta.url));

export interface PseudoTerminal {
  /** The terminal's path (/dev/pts/N): what another program opens. */
  readonly path: string;
  onData(listener: (bytes: Uint8Array) => void): void;
  write(bytes: Uint8Array): void;
  /** Resolves when the terminal is gone: after close(), or if the bridge died. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Why a pseudo-terminal cannot be opened here, or undefined. */
export function ptyMissing(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' });
  if (r.error) return 'python3 is not installed (Debian: apt-get install python3): the pseudo-terminal needs it';
  if (r.status !== 0) return `python3 cannot open a pseudo-terminal here: ${r.stderr.trim()}`;
  return undefined;
}

export async function openPseudoTerminal(): Promise<PseudoTerminal> {
  const why = ptyMissing();
  if (why) throw new Error(why);
  const child: ChildProcessWithoutNullStreams = spawn('python3', [BRIDGE], { stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const path = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the pseudo-terminal bridge exited (${code}) before opening a terminal`)));
  });
  child.stdin.on('error', () => undefined);
  return {
    path,
    closed,
    onData: (listener) => child.stdout.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))),
    write: (bytes) => { if (child.exitCode === null) child.stdin.write(bytes); },
    close: async () => {
      if (child.exitCode === null) child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await closed;
      clearTimeout(t);
    },
  };
}

/**
 * Two pseudo-terminals wired to each other like a null-modem cable: what one program writes to
 * `a` another reads from `b`, and back. Two programs that each open a serial device by path (the
 * lin firmware's console and `kilohash serial setup`) talk through it.
 */
export async function openNullModem(): Promise<{ a: PseudoTerminal; b: PseudoTerminal; close(): Promise<void> }> {
  const a = await openPseudoTerminal();
  const b = await openPseudoTerminal().catch(async (e: unknown) => {
    await a.close();
    throw e;
  });
  a.onData((bytes) => b.write(bytes));
  b.onData((bytes) => a.write(bytes));
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}
