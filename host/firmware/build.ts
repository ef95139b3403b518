/**
 * Builds the firmware's JavaScript for mcconfig: one ES module per platform (esbuild), the
 * TypeScript already checked by `npm test` against @moddable/typings. Bundling here means the
 * device build needs no TypeScript compiler and does not depend on how an SDK version resolves
 * `.ts` import specifiers; mcconfig compiles plain JS. Moddable's own modules stay imports.
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
/** Where manifest.json takes the firmware's modules and resources from. */
export const FIRMWARE_DIR = join(ROOT, 'build', 'firmware');

export const FIRMWARE_PLATFORMS = {
  /** ESP32 and ESP32-C3 boards: SPI to the FPGA, Wi-Fi, LED. */
  esp32: 'src/platform/moddable/board-esp32.ts',
  /** Moddable's desktop simulator: the model core compiled in. */
  lin: 'src/platform/moddable/board-lin.ts',
} as const;
export type FirmwarePlatform = keyof typeof FIRMWARE_PLATFORMS;

/** The modules the Moddable SDK provides; everything else must be bundled from src/. */
export const MODDABLE_MODULES = ['timer', 'time', 'preference', 'net', 'http', 'websocket', 'wifi', 'mc/config', 'Resource', 'ota', 'system', 'instrumentation', 'file', 'debug'];
const EXTERNAL = [...MODDABLE_MODULES, 'embedded:*'];

export interface FirmwareBuild {
  platform: FirmwarePlatform;
  file: string;
  bytes: number;
  /** Every import left in the output (all Moddable modules). */
  imports: string[];
}

export async function buildFirmware(platform: FirmwarePlatform, outDir = FIRMWARE_DIR): Promise<FirmwareBuild> {
  const r = await build({
    entryPoints: [join(ROOT, FIRMWARE_PLATFORMS[platform])],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    external: EXTERNAL,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = r.outputFiles[0]!.text;
  const file = join(outDir, platform, 'main.js');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `// Built by \`npx kilohash firmware\` from ${FIRMWARE_PLATFORMS[platform]}; do not edit.\n${text}`);
  const imports = [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return { platform, file, bytes: text.length, imports: [...new Set(imports)].sort() };
}
