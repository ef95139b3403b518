/**
 * The firmware on Moddable's desktop runtime: find the SDK's Linux tools ($MODDABLE), build
 * manifest.json for `lin` with mcconfig, run it in mcsim under Xvfb, and talk to its HTTP API.
 * The SDK is not a package (docs/firmware.md says how to build it); without it every entry
 * here says why it cannot run instead of failing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFirmware } from './build.ts';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
/** manifest.json's lin section serves the API here. */
export const SIM_HTTP = 'http://127.0.0.1:8080';
/** Where the lin build keeps its settings: config.file.root (/tmp/ on lin) + file-storage.ts's name. */
export const SIM_STORAGE = '/tmp/kilohash.json';
/** manifest.json's lin section opens its console here: link it to a terminal (a pty) before start. */
export const SIM_CONSOLE = '/tmp/kilohash-console';

export type SdkCheck = { ok: true; moddable: string; tools: string } | { ok: false; reason: string };

export function findSdk(env = process.env): SdkCheck {
  const moddable = env.MODDABLE;
  if (!moddable) return { ok: false, reason: 'MODDABLE is not set: no Moddable SDK (see docs/firmware.md)' };
  const tools = join(moddable, 'build', 'bin', 'lin', 'release');
  if (!existsSync(join(tools, 'mcconfig')) || !existsSync(join(tools, 'mcsim'))) {
    return { ok: false, reason: `no mcconfig/mcsim in ${tools}: build the SDK's Linux tools (docs/firmware.md)` };
  }
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status !== 0) return { ok: false, reason: 'xvfb-run is missing (Debian: xvfb)' };
  return { ok: true, moddable, tools };
}

const toolEnv = (sdk: Extract<SdkCheck, { ok: true }>) => ({ ...process.env, MODDABLE: sdk.moddable, PATH: `${sdk.tools}:${process.env.PATH}` });

/**
 * `npx kilohash firmware` then `mcconfig -m -p lin -t build manifest.json`, exactly as the docs
 * say (`instrument` adds -i: Moddable's instrumentation, for memory figures). Returns mc.so.
 */
export async function buildLin(sdk: Extract<SdkCheck, { ok: true }>, instrument = false): Promise<string> {
  await buildFirmware('lin');
  const args = ['-m', ...(instrument ? ['-i'] : []), '-p', 'lin', '-t', 'build', 'manifest.json'];
  const r = spawnSync('mcconfig', args, { cwd: ROOT, env: toolEnv(sdk), encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`mcconfig ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return builtLibrary(sdk.moddable);
}

/** The newest mc.so mcconfig linked for this checkout (its folder is named after the checkout). */
function builtLibrary(moddable: string): string {
  const name = basename(ROOT);
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name === 'mc.so' && basename(dir) === name) found.push(p);
    }
  };
  walk(join(moddable, 'build', 'bin', 'lin'), 0);
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!found[0]) throw new Error(`no mc.so for '${name}' under ${moddable}/build/bin/lin`);
  return found[0];
}

export interface Simulator {
  stop(): void;
}

/** Starts mcsim on `library` under Xvfb, in its own process group so stop() takes all of it. */
export function startSimulator(sdk: Extract<SdkCheck, { ok: true }>, library: string): Simulator {
  const child: ChildProcess = spawn('xvfb-run', ['-a', join(sdk.tools, 'mcsim'), library], { env: toolEnv(sdk), detached: true, stdio: 'ignore' });
  return {
    stop() {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export async function simApi(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  // Generous: the simulator hashes in JS on the same cores, and a loaded machine answers slowly.
  const r = await fetch(`${SIM_HTTP}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** Polls `probe` until it returns a value (errors count as not yet), or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
