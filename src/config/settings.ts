/**
 * The miner's settings: what a user can change from the web page or the API, validated field
 * by field with a message that names the field. Secrets (pool and admin passwords) are stored
 * but never shown back. XS-portable: the firmware keeps the same object in NVS.
 */
import { DEFAULT_ENERGY } from '../miner/economics.ts';
import { parsePoolUrl } from '../stratum/pool-url.ts';

export interface Settings {
  /** Wi-Fi network to join (device only; empty: start the provisioning access point). */
  wifiSSID: string;
  wifiPassword: string;
  stratumURL: string;
  stratumUser: string;
  stratumPassword: string;
  fallbackStratumURL: string;
  fallbackStratumUser: string;
  fallbackStratumPassword: string;
  /** 0: let the pool choose. */
  suggestDifficulty: number;
  /** Board power in watts, for the energy figures. */
  power: number;
  pricePerKwh: number;
  coinPrice: number;
  feesBtc: number;
  /** Ask the pool for mining.set_extranonce (mining.extranonce.subscribe), on every pool. */
  extranonceSubscribe: boolean;
  /** The board's network name ('' = the board's own default). */
  hostname: string;
  /** Password for changing settings ('' = changes disabled, unless apiAccess opens them). */
  adminPassword: string;
  /**
   * Who may change settings: `password` (the default) asks every write for the admin password;
   * `local-network` lets clients on a private address write without one, as AxeOS does, because
   * the AxeOS web UI and tools built for it never send a password. Writes from pages on another
   * origin stay refused either way.
   */
  apiAccess: ApiAccess;
}

export type ApiAccess = 'password' | 'local-network';

export const DEFAULT_SETTINGS: Settings = {
  wifiSSID: '',
  wifiPassword: '',
  stratumURL: 'stratum+tcp://solo.ckpool.org:3333',
  stratumUser: '',
  stratumPassword: 'x',
  fallbackStratumURL: '',
  fallbackStratumUser: '',
  fallbackStratumPassword: '',
  suggestDifficulty: 0,
  power: DEFAULT_ENERGY.watts,
  pricePerKwh: DEFAULT_ENERGY.pricePerKwh,
  coinPrice: DEFAULT_ENERGY.coinPrice,
  feesBtc: DEFAULT_ENERGY.feesBtc,
  extranonceSubscribe: false,
  hostname: '',
  adminPassword: '',
  apiAccess: 'password',
};

const SECRET: ReadonlySet<keyof Settings> = new Set(['wifiPassword', 'stratumPassword', 'fallbackStratumPassword', 'adminPassword']);

type Check = (v: unknown) => string | null;

const text = (max: number, allowEmpty = true): Check => (v) =>
  typeof v !== 'string' ? 'must be text' : !allowEmpty && v.length === 0 ? 'must not be empty' : v.length > max ? `must be at most ${max} characters` : null;
const number = (min: number, max: number): Check => (v) =>
  typeof v !== 'number' || !Number.isFinite(v) ? 'must be a number' : v < min || v > max ? `must be from ${min} to ${max}` : null;
const flag: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const oneOf = (values: readonly string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`);
const poolUrl = (allowEmpty: boolean): Check => (v) => {
  if (typeof v !== 'string') return 'must be text';
  if (v === '' && allowEmpty) return null;
  try {
    parsePoolUrl(v);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : 'is not a pool URL';
  }
};

const CHECKS: Record<keyof Settings, Check> = {
  wifiSSID: text(32),
  wifiPassword: (v) => (typeof v !== 'string' ? 'must be text' : v.length > 0 && (v.length < 8 || v.length > 63) ? 'must be 8 to 63 characters (WPA2), or empty for an open network' : null),
  stratumURL: poolUrl(false),
  stratumUser: text(128, false),
  stratumPassword: text(128),
  fallbackStratumURL: poolUrl(true),
  fallbackStratumUser: text(128),
  fallbackStratumPassword: text(128),
  suggestDifficulty: number(0, 1e15),
  power: number(0, 10_000),
  pricePerKwh: number(0, 1000),
  coinPrice: number(0, 1e9),
  feesBtc: number(0, 100),
  extranonceSubscribe: flag,
  // RFC 1123 labels: letters, digits and inner hyphens (DHCP and mDNS carry it as one label).
  hostname: (v) => (typeof v !== 'string' ? 'must be text' : v !== '' && !/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/.test(v) ? 'must be 1 to 32 letters, digits or inner hyphens' : null),
  apiAccess: oneOf(['password', 'local-network']),
  adminPassword: (v) => (typeof v !== 'string' ? 'must be text' : v.length > 0 && v.length < 8 ? 'must be at least 8 characters (or empty to disable changes)' : v.length > 64 ? 'must be at most 64 characters' : null),
};

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: Record<string, string> };

/** Applies `patch` to `current`: all fields valid → the new settings; any invalid → nothing changes. */
export function applySettings(current: Settings, patch: unknown): SettingsResult {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return { ok: false, errors: { '': 'expected a JSON object of settings' } };
  const errors: Record<string, string> = {};
  const next: Settings = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in CHECKS)) {
      errors[key] = 'is not a setting';
      continue;
    }
    const k = key as keyof Settings;
    const why = CHECKS[k](value);
    if (why) errors[key] = `${key} ${why}`;
    else (next as unknown as Record<string, unknown>)[k] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings: next };
}

/** Settings as they may be shown: secrets only say whether they are set. */
export function publicSettings(s: Settings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(s)) out[k] = SECRET.has(k as keyof Settings) ? (v as string).length > 0 : v;
  return out;
}

/**
 * Settings read back from storage: anything missing or invalid falls back to its default
 * (`base`: the build's defaults) field by field, so corrupted storage never stops the miner.
 */
export function loadSettings(stored: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const out: Settings = { ...base };
  if (typeof stored !== 'object' || stored === null) return out;
  for (const [key, value] of Object.entries(stored)) {
    if (key in CHECKS && CHECKS[key as keyof Settings](value) === null) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}
