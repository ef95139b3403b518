/**
 * Headless Chromium for the page tests (Debian's package, driven by playwright-core), and
 * where their screenshots go: build/screenshots, or KILOHASH_SCREENSHOT_DIR (`npm run
 * docs:screenshots` points it at docs/images, which the docs show).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
}

export function screenshotPath(name: string): string {
  const dir = process.env.KILOHASH_SCREENSHOT_DIR ?? join(import.meta.dirname, '..', '..', 'build', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
