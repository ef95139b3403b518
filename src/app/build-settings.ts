/**
 * Settings given when the firmware is built, for a classroom flashing many boards alike:
 * `mcconfig -m -p esp32/esp32c3 manifest.json ssid=… password=… pool=… user=…` puts these keys
 * in the build's `config` (manifest.json lists them, empty). Each is checked like a settings
 * write; a bad one is reported and left at the product default, never stops the boot.
 */
import { applySettings, DEFAULT_SETTINGS, type Settings } from '../config/settings.ts';
import type { Log } from '../platform/interfaces.ts';

/** The config key → the setting it fills. `ssid` and `password` are Moddable's own Wi-Fi keys. */
export const BUILD_SETTING_KEYS: Readonly<Record<string, keyof Settings>> = {
  ssid: 'wifiSSID',
  password: 'wifiPassword',
  pool: 'stratumURL',
  user: 'stratumUser',
  poolPassword: 'stratumPassword',
  fallbackPool: 'fallbackStratumURL',
  admin: 'adminPassword',
  suggestDifficulty: 'suggestDifficulty',
  power: 'power',
};

const NUMERIC: ReadonlySet<keyof Settings> = new Set(['suggestDifficulty', 'power']);

export function buildSettings(config: Record<string, unknown> | undefined, log?: Log): Settings {
  let settings: Settings = { ...DEFAULT_SETTINGS };
  if (!config) return settings;
  for (const [key, field] of Object.entries(BUILD_SETTING_KEYS)) {
    const raw = config[key];
    if (raw === undefined || raw === '') continue;
    const value = NUMERIC.has(field) && typeof raw === 'string' ? Number(raw) : raw;
    const r = applySettings(settings, { [field]: value });
    if (r.ok) settings = r.settings;
    else log?.('error', `build setting '${key}': ${Object.values(r.errors).join('; ')}; left at the default`);
  }
  return settings;
}
