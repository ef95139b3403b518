/**
 * The UP5K bitstream that ships inside the ICE-V Wireless firmware (a Moddable resource the
 * ESP32-C3 clocks into the FPGA at boot): taken from `--bitstream` or the newest
 * `kilohash synth --device up5k` output, checked, and copied where manifest.json names it.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkBitstream, UP5K } from '../../src/platform/ice40/bitstream.ts';
import { InputError } from '../../src/work/errors.ts';
import { FIRMWARE_DIR } from './build.ts';

/** manifest.json's esp32/esp32c3 `resources` entry (mcconfig adds the extension) under a firmware folder. */
export const bitstreamPath = (firmwareDir = FIRMWARE_DIR): string => join(firmwareDir, 'fpga', 'kilohash-up5k.bin');
const SYNTH_DIR = join(FIRMWARE_DIR, '..', 'synth');

export interface BitstreamPick {
  source: string;
  file: string;
  bytes: number;
}

/** The newest UP5K image `kilohash synth` wrote, if any. */
export function newestSynthBitstream(dir = SYNTH_DIR): string | undefined {
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir)
    .filter((f) => /^kilohash-up5k-.*\.bin$/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0];
}

/** Checks `source` is a UP5K bitstream and puts it where the firmware build takes it from. */
export function installBitstream(source: string, target = bitstreamPath()): BitstreamPick {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(source));
  } catch (e) {
    throw new InputError('bitstream', `cannot read '${source}' (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const check = checkBitstream(bytes.subarray(0, 4096), bytes.length, UP5K);
  if (!check.ok) throw new InputError('bitstream', `'${source}' is not a UP5K bitstream for the ICE-V Wireless: ${check.reason}`);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return { source, file: target, bytes: bytes.length };
}
