/**
 * The layering of src/ (README, "Layers"): an import never runs from a lower layer to a higher
 * one, and nothing in src/ imports host/ or a Node built-in. Read from the sources' import
 * statements, so a new file is held to it at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Bottom up. A file's layer is the first rule its path (relative to src/) matches. */
const LAYERS: [number, string, RegExp][] = [
  [0, 'contracts and pure math', /^(version\.ts|platform\/interfaces\.ts|work\/)/],
  [1, 'stratum, core', /^(stratum|core)\//],
  [2, 'miner', /^miner\//],
  [3, 'config, ui', /^(config|ui)\//],
  [4, 'app', /^app\//],
  [5, 'runtime adapters', /^platform\/[a-z0-9-]+\//],
];

function layerOf(path: string): number {
  const hit = LAYERS.find(([, , re]) => re.test(path));
  if (!hit) throw new Error(`src/${path} belongs to no layer: add it to LAYERS`);
  return hit[0];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

describe('src/ layering', () => {
  const files = sources(SRC);

  it('has files in every layer', () => {
    const seen = new Set(files.map((f) => layerOf(relative(SRC, f))));
    expect([...seen].sort()).toEqual(LAYERS.map(([n]) => n));
  });

  it('no import runs from a lower layer to a higher one', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = relative(SRC, file);
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const to = relative(SRC, resolve(dirname(file), spec));
        if (to.startsWith('..')) continue; // outside src/: the next test
        if (layerOf(to) > layerOf(from)) upward.push(`${from} → ${to}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('imports nothing from host/ and no Node built-in', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of imports(file)) {
        const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : '';
        if (to.startsWith('..') || spec.startsWith('node:') || /^(fs|path|os|child_process|buffer|process|worker_threads)$/.test(spec)) bad.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
