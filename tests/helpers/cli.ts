import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `kilohash` binary, for tests that drive it themselves (signals, stdin). */
export const KILOHASH_BIN = fileURLToPath(new URL('../../bin/kilohash.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kilohash` binary as a user would. */
export function kilohash(args: string[], timeoutMs = 60_000, env?: Record<string, string>): CliResult {
  const r = spawnSync(process.execPath, [KILOHASH_BIN, ...args], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `kilohash` without blocking this process's event loop (for tests that serve it, e.g. a pool). */
export function kilohashAsync(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KILOHASH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
