/**
 * The ESP32 builds need ESP-IDF, which cannot be installed here (mcconfig stops at once without
 * IDF_PATH), so this checks what mcconfig would look up for them: every manifest the
 * esp32/esp32c3 and esp32 sections include exists in the SDK, every Moddable module the
 * firmware bundle imports is declared by one of those manifests, and the main module and the
 * bitstream resource are where `kilohash firmware` writes them. Needs MODDABLE (skipped, saying
 * why, without it); the lin build is proven whole by moddable-lin.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFirmware } from '../../host/firmware/build.ts';
import { bitstreamPath } from '../../host/firmware/bitstream.ts';
import { findSdk } from '../../host/firmware/moddable-sim.ts';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const sdk = findSdk();

type Manifest = {
  build?: Record<string, string>;
  include?: string | string[];
  modules?: Record<string, unknown>;
  preload?: string | string[];
  resources?: Record<string, string[]>;
  platforms?: Record<string, Manifest>;
};

/** What mcconfig collects for `platform`: included manifest files and declared module names. */
function collect(file: string, platform: string, vars: Record<string, string>, seen = new Set<string>(), out = { files: [] as string[], missing: [] as string[], modules: new Set<string>() }) {
  if (seen.has(file)) return out;
  seen.add(file);
  const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const dir = file.slice(0, file.lastIndexOf('/'));
  const sections: Manifest[] = [m];
  // mcconfig takes the exact platform, else its family (esp32 for esp32/esp32c3), else "...".
  const platforms = m.platforms ?? {};
  const family = platform.split('/')[0]!;
  const chosen = platforms[platform] ?? platforms[family] ?? platforms['...'];
  if (chosen) sections.push(chosen);
  const scope = { ...vars };
  for (const s of sections) Object.assign(scope, s.build ?? {});
  const expand = (p: string) => {
    let v = p;
    for (let i = 0; i < 5; i++) v = v.replace(/\$\((\w+)\)/g, (_, k: string) => scope[k] ?? `$(${k})`);
    return v.startsWith('./') ? join(dir, v) : v;
  };
  for (const s of sections) {
    for (const [k, v] of Object.entries(s.modules ?? {})) {
      if (k !== '*') {
        out.modules.add(k);
        continue;
      }
      // "*": each file is a module named after it; "dir/*" is every module in dir.
      for (const entry of [v as string | string[]].flat()) {
        const path = expand(entry);
        if (path.endsWith('/*')) {
          const d = path.slice(0, -2);
          if (existsSync(d)) for (const f of readdirSync(d)) if (/\.(js|ts)$/.test(f)) out.modules.add(f.replace(/\.(js|ts)$/, ''));
        } else out.modules.add(path.slice(path.lastIndexOf('/') + 1));
      }
    }
    for (const inc of [s.include ?? []].flat()) {
      const path = expand(inc);
      if (!existsSync(path)) out.missing.push(`${inc} → ${path} (from ${file})`);
      else {
        out.files.push(path);
        collect(path, platform, scope, seen, out);
      }
    }
  }
  return out;
}

describe.skipIf(!sdk.ok)(`the ESP32 builds' paths in the SDK${sdk.ok ? '' : ` (skipped: ${sdk.reason})`}`, () => {
  const moddable = sdk.ok ? sdk.moddable : '';
  const vars = { MODDABLE: moddable, MODULES: `${moddable}/modules`, BUILD: `${moddable}/build`, PLATFORM: 'esp32' };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Manifest;

  it.each(['esp32/esp32c3', 'esp32'])('%s: every included manifest exists and declares every module the firmware imports', async (platform) => {
    const found = collect(join(ROOT, 'manifest.json'), platform, vars);
    expect(found.missing).toEqual([]);
    const bundle = await buildFirmware('esp32');
    // mc/config is the one module mcconfig writes itself.
    const undeclared = bundle.imports.filter((name) => name !== 'mc/config' && !found.modules.has(name));
    expect(undeclared).toEqual([]);
    const section = manifest.platforms![platform]!;
    expect(existsSync(join(ROOT, `${(section.modules as { main: string }).main}.js`))).toBe(true);
  });

  it('the ICE-V build names the bitstream where kilohash firmware puts it', () => {
    const resources = manifest.platforms!['esp32/esp32c3']!.resources!['*']!;
    expect(resources.map((r) => join(ROOT, `${r}.bin`))).toEqual([bitstreamPath()]);
  });
});
