/**
 * yosys + nextpnr-ice40 + icepack, all WebAssembly builds from npm (@yowasp/*): nothing to
 * install beyond `npm ci`. Each tool runs on an in-memory file tree; we pass the sources in
 * and take the outputs back.
 */
import { runYosys } from '@yowasp/yosys';
import { runIcepack, runIcepll, runNextpnrIce40 } from '@yowasp/nextpnr-ice40';

export type Tree = { [name: string]: Tree | string | Uint8Array };
type Runner = (args?: string[], files?: Tree, options?: object) => Promise<Tree> | Tree | undefined;

export interface ToolRun {
  files: Tree;
  output: string;
}

async function run(runner: Runner, name: string, args: string[], files: Tree, onLine?: (line: string) => void): Promise<ToolRun> {
  const dec = new TextDecoder();
  let output = '';
  let partial = '';
  const sink = (bytes: Uint8Array | null) => {
    if (!bytes) return;
    const text = dec.decode(bytes);
    output += text;
    partial += text;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      onLine?.(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
  };
  try {
    const out = await runner(args, files, { stdout: sink, stderr: sink, decodeASCII: false });
    return { files: out ?? {}, output };
  } catch (err) {
    const tail = output.split('\n').slice(-25).join('\n');
    throw new Error(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
}

export const yosys = (args: string[], files: Tree, onLine?: (l: string) => void) => run(runYosys as Runner, 'yosys', args, files, onLine);
export const nextpnr = (args: string[], files: Tree, onLine?: (l: string) => void) => run(runNextpnrIce40 as Runner, 'nextpnr-ice40', args, files, onLine);
export const icepack = (args: string[], files: Tree) => run(runIcepack as Runner, 'icepack', args, files);
export const icepll = (args: string[]) => run(runIcepll as Runner, 'icepll', args, {});

export function fileText(tree: Tree, name: string): string {
  const v = tree[name];
  if (v === undefined) throw new Error(`the tool wrote no ${name}`);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  throw new Error(`${name} is a folder`);
}

export function fileBytes(tree: Tree, name: string): Uint8Array {
  const v = tree[name];
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return new TextEncoder().encode(v);
  throw new Error(`the tool wrote no ${name}`);
}
