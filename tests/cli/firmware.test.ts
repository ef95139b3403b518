/**
 * `kilohash firmware` puts the ICE-V Wireless's UP5K bitstream where manifest.json takes it,
 * and refuses a file that is not one, before anything is built.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bitstreamPath } from '../../host/firmware/bitstream.ts';
import { kilohash } from '../helpers/cli.ts';
import { up5kImage } from '../helpers/ice40-image.ts';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

describe('kilohash firmware --bitstream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-fw-'));
  // A folder of its own: the developer's build/firmware (and a real bitstream in it) stays untouched.
  const out = join(dir, 'firmware');
  const installed = bitstreamPath(out);

  it('installs a UP5K image where the ICE-V build takes its resource from', () => {
    const file = join(dir, 'good.bin');
    const image = up5kImage(7);
    writeFileSync(file, image);
    const r = kilohash(['firmware', '--platform', 'esp32', '--bitstream', file, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).bitstream).toEqual({ source: file, file: installed, bytes: 104_090 });
    expect(new Uint8Array(readFileSync(installed))).toEqual(image);
    // manifest.json names it (without the extension, as mcconfig wants), and the loader's resource name matches.
    const c3 = manifest.platforms['esp32/esp32c3'];
    const standard = bitstreamPath();
    expect(`${c3.resources['*'][0]}.bin`.replace(/^\.\//, '')).toBe(standard.slice(standard.indexOf('build/')));
    expect(standard.endsWith(`/${c3.config.kilohash.fpga.image}`)).toBe(true);
  });

  it.each([
    ['truncated', up5kImage().slice(0, 90_000), /is not a UP5K bitstream for the ICE-V Wireless: 90000 bytes/],
    ['for an HX8K', (() => { const b = up5kImage(); b[16] = 0x03; b[17] = 0x67; return b; })(), /for iCE40HX8K, not iCE40UP5K/],
    ['not a bitstream', new TextEncoder().encode('hello'), /no iCE40 sync word/],
  ])('refuses a bitstream that is %s (exit 2, nothing installed)', (name, bytes, message) => {
    rmSync(installed, { force: true });
    const file = join(dir, `${name}.bin`);
    writeFileSync(file, bytes);
    const r = kilohash(['firmware', '--platform', 'esp32', '--bitstream', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(installed)).toBe(false);
  });

  it('a missing file is a clear error', () => {
    const r = kilohash(['firmware', '--bitstream', join(dir, 'nope.bin'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bitstream: cannot read .*nope\.bin.* \(ENOENT\)/);
  });
});
