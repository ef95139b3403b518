/**
 * The device build as far as this machine can take it without a Moddable SDK: the firmware
 * bundles build, import nothing but Moddable's own modules, and manifest.json names them with
 * the board wiring the docs give.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRMWARE_PLATFORMS, MODDABLE_MODULES, buildFirmware, type FirmwarePlatform } from '../../host/firmware/build.ts';
import { handleRequest, type ApiHost } from '../../src/ui/api.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as {
  include: string[];
  platforms: Record<string, { modules?: { main?: string }; config?: { kilohash?: { spi?: Record<string, number> } } }>;
};

describe('firmware build', () => {
  for (const platform of Object.keys(FIRMWARE_PLATFORMS) as FirmwarePlatform[]) {
    it(`${platform}: bundles src/ and imports only Moddable modules`, async () => {
      const b = await buildFirmware(platform);
      for (const i of b.imports) expect(i.startsWith('embedded:') || MODDABLE_MODULES.includes(i), i).toBe(true);
      const text = readFileSync(b.file, 'utf8');
      expect(text).not.toMatch(/from\s+["']node:/);
      expect(text).not.toMatch(/\bprocess\.(env|argv|exit)|\bBuffer\.(from|alloc)|\brequire\(/);
      expect(b.bytes).toBeGreaterThan(50_000);
    });
  }

  it('manifest.json names the built modules for every platform', async () => {
    for (const p of Object.keys(FIRMWARE_PLATFORMS) as FirmwarePlatform[]) await buildFirmware(p);
    for (const [name, section] of Object.entries(manifest.platforms)) {
      if (name === '...') continue;
      const main = section.modules?.main;
      expect(main, name).toBeDefined();
      expect(existsSync(join(ROOT, `${main}.js`)), `${name}: ${main}.js`).toBe(true);
    }
    expect(manifest.include).toContain('$(MODULES)/network/http/manifest.json');
    expect(manifest.include).toContain('$(MODULES)/files/preference/manifest.json');
  });

  it('wires the ICE-V Wireless exactly as docs/core-protocol.md says, with SCK within the spec', () => {
    const doc = readFileSync(join(ROOT, 'docs/core-protocol.md'), 'utf8');
    const spi = manifest.platforms['esp32/esp32c3']!.config!.kilohash!.spi!;
    expect(doc).toContain(`GPIO${spi.sck} → SCK`);
    expect(doc).toContain(`GPIO${spi.mosi} → MOSI`);
    expect(doc).toContain(`GPIO${spi.miso} ← MISO`);
    expect(doc).toContain(`GPIO${spi.cs} → CS_N`);
    // SCK at most clk/8: the UP5K build's clock is ~24–26 MHz (docs/core-design.md).
    expect(spi.hz).toBeLessThanOrEqual(24_000_000 / 8);
  });
});

describe('setup access point (provisioning)', () => {
  const host = (s: Partial<Settings>, provisioning: boolean): ApiHost & { saved?: Settings } => {
    const h: ApiHost & { saved?: Settings } = {
      provisioning,
      info: () => ({}),
      status: () => ({}),
      settings: () => ({ ...DEFAULT_SETTINGS, ...s }),
      saveSettings: (next) => { h.saved = next; },
      restart: () => {},
    };
    return h;
  };
  const patch = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'PATCH', path: '/api/system', headers, body: JSON.stringify(body) });

  it('serves the settings page at / and takes the first settings without a password', () => {
    const h = host({}, true);
    expect(handleRequest({ method: 'GET', path: '/', headers: {}, body: '' }, h).body).toContain('kilohash settings');
    const r = handleRequest(patch({ wifiSSID: 'home', wifiPassword: 'longenough', stratumUser: 'bc1qexample', adminPassword: 'admin-pass-1' }), h);
    expect(r.status).toBe(200);
    expect(h.saved?.wifiSSID).toBe('home');
    expect(r.body).not.toContain('longenough');
  });

  it('once an admin password exists, even the access point needs it', () => {
    const h = host({ adminPassword: 'admin-pass-1' }, true);
    expect(handleRequest(patch({ power: 3 }), h).status).toBe(401);
    expect(handleRequest(patch({ power: 3 }, { authorization: 'Bearer admin-pass-1' }), h).status).toBe(200);
  });

  it('refuses a Wi-Fi password WPA2 cannot use', () => {
    const r = handleRequest(patch({ wifiPassword: 'short' }), host({}, true));
    expect(r.status).toBe(400);
    expect(r.body).toContain('wifiPassword');
  });
});
