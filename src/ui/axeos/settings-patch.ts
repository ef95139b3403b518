/**
 * `PATCH /api/system` bodies as AxeOS sends them, mapped onto kilohash settings:
 *
 * - the Network page: `{hostname, ssid, wifiPass}`;
 * - the Pool page: `{primaryPoolIndex, secondaryPoolIndex, pools: [{id, stratumURL (a bare
 *   host), stratumPort, stratumUser, stratumPassword ('*****' = unchanged),
 *   stratumSuggestedDifficulty, stratumExtranonceSubscribe, stratumTLS (0/1/2), …}]}` —
 *   kilohash keeps two pools, the primary and the backup; equal indices mean no backup;
 * - older AxeOS and scripts: flat `stratumURL`/`stratumPort`/`stratumUser`/`stratumPassword`
 *   and their `fallback…` twins;
 * - the Settings page's display, fan, frequency and voltage fields, which a kilohash board does
 *   not have: accepted and ignored, each named in the answer.
 *
 * A key that is a kilohash setting keeps its own meaning, except `stratumURL` and
 * `fallbackStratumURL` without a scheme, which are AxeOS's bare host (and port). The result is
 * a patch of kilohash settings that `applySettings` then validates like any other.
 */
import type { Settings } from '../../config/settings.ts';
import { parsePoolUrl } from '../../stratum/pool-url.ts';

/** What AxeOS puts in a password field it did not change. */
export const UNCHANGED_SECRET = '*****';

/** AxeOS settings a kilohash board has no hardware for. */
const HARDWARE_ONLY: ReadonlySet<string> = new Set([
  'coreVoltage', 'frequency', 'overclockEnabled', 'autofanspeed', 'fanspeed', 'manualFanSpeed', 'minFanSpeed', 'temptarget',
  'overheat_mode', 'display', 'rotation', 'invertscreen', 'displayTimeout', 'statsFrequency', 'useCustomWWW', 'useFallbackStratum',
]);

/**
 * Per-pool AxeOS fields kilohash has no use for (Stratum V2, coinbase decoding, a pinned
 * certificate), with the value that asks for nothing: only other values are named as ignored.
 */
const POOL_NEUTRAL: Record<string, unknown> = {
  stratumProtocol: 'SV1', stratumCert: '', stratumDecodeCoinbase: false, stratumV2AuthorityPubkey: '', stratumV2RequireAuth: false,
};

export type AxeosPatch =
  | { ok: true; patch: Record<string, unknown>; ignored: string[]; notes: string[] }
  | { ok: false; errors: Record<string, string> };

interface PoolSlot {
  url: string;
  user: string;
  password: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `body` uses AxeOS's field names anywhere (then it is read as AxeOS writes it). */
export function looksLikeAxeos(body: Record<string, unknown>): boolean {
  if (['ssid', 'wifiPass', 'pools', 'primaryPoolIndex', 'secondaryPoolIndex', 'stratumPort', 'fallbackStratumPort', 'stratumSuggestedDifficulty', 'stratumExtranonceSubscribe', 'stratumTLS'].some((k) => k in body)) return true;
  if (Object.keys(body).some((k) => HARDWARE_ONLY.has(k))) return true;
  return ['stratumURL', 'fallbackStratumURL'].some((k) => typeof body[k] === 'string' && body[k] !== '' && !(body[k] as string).includes('://'));
}

export function fromAxeosPatch(body: Record<string, unknown>, current: Settings): AxeosPatch {
  const patch: Record<string, unknown> = {};
  const ignored: string[] = [];
  const notes: string[] = [];
  const errors: Record<string, string> = {};
  const slots: [PoolSlot, PoolSlot] = [
    { url: current.stratumURL, user: current.stratumUser, password: current.stratumPassword },
    { url: current.fallbackStratumURL, user: current.fallbackStratumUser, password: current.fallbackStratumPassword },
  ];
  const next: [PoolSlot, PoolSlot] = [{ ...slots[0] }, { ...slots[1] }];
  let poolsTouched = false;

  const setSecret = (key: keyof Settings, value: unknown) => {
    if (value !== UNCHANGED_SECRET) patch[key] = value;
  };

  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'ssid': patch['wifiSSID'] = value; break;
      case 'wifiPass': setSecret('wifiPassword', value); break;
      case 'stratumSuggestedDifficulty': patch['suggestDifficulty'] = value; break;
      case 'stratumExtranonceSubscribe': patch['extranonceSubscribe'] = value === 1 ? true : value === 0 ? false : value; break;
      case 'stratumPassword':
      case 'fallbackStratumPassword':
      case 'wifiPassword':
      case 'adminPassword':
        setSecret(key, value);
        break;
      case 'stratumURL':
      case 'fallbackStratumURL':
      case 'stratumPort':
      case 'fallbackStratumPort':
      case 'stratumTLS':
      case 'fallbackStratumTLS':
      case 'stratumUser':
      case 'fallbackStratumUser': {
        const fallback = key.startsWith('fallback');
        const slot = next[fallback ? 1 : 0];
        const field = fallback ? key.slice('fallbackStratum'.length) : key.slice('stratum'.length);
        if (field === 'User') {
          slot.user = value as string;
          patch[key] = value;
          break;
        }
        poolsTouched = true;
        const r = flatPoolField(body, fallback, slot.url);
        if ('error' in r) errors[fallback ? 'fallbackStratumURL' : 'stratumURL'] = r.error;
        else slot.url = r.url;
        break;
      }
      case 'fallbackStratumSuggestedDifficulty':
      case 'fallbackStratumExtranonceSubscribe':
        if (body[key.replace('fallbackS', 's')] === undefined || body[key.replace('fallbackS', 's')] !== value) {
          notes.push(`${key}: kilohash uses one value for both pools; set it with ${key.replace('fallbackS', 's')}`);
        }
        ignored.push(key);
        break;
      case 'pools':
      case 'primaryPoolIndex':
      case 'secondaryPoolIndex':
        poolsTouched = true;
        break;
      default:
        if (HARDWARE_ONLY.has(key)) {
          ignored.push(key);
        } else {
          patch[key] = value; // a kilohash setting, or an unknown key applySettings names
        }
    }
  }

  if ('pools' in body || 'primaryPoolIndex' in body || 'secondaryPoolIndex' in body) {
    const r = poolsFromArray(body, slots, patch, ignored, notes);
    if ('errors' in r) Object.assign(errors, r.errors);
    else {
      next[0] = r.slots[0];
      next[1] = r.slots[1];
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  if (poolsTouched) {
    patch['stratumURL'] = next[0].url;
    patch['fallbackStratumURL'] = next[1].url;
    if (next[0].user !== slots[0].user) patch['stratumUser'] = next[0].user;
    if (next[1].user !== slots[1].user) patch['fallbackStratumUser'] = next[1].user;
    if (next[0].password !== slots[0].password) patch['stratumPassword'] = next[0].password;
    if (next[1].password !== slots[1].password) patch['fallbackStratumPassword'] = next[1].password;
  }
  return { ok: true, patch, ignored, notes };
}

/** A flat `stratumURL` (bare host or full URL), `stratumPort` and `stratumTLS`, merged with the stored URL. */
function flatPoolField(body: Record<string, unknown>, fallback: boolean, stored: string): { url: string } | { error: string } {
  const pre = fallback ? 'fallbackStratum' : 'stratum';
  const url = body[`${pre}URL`];
  const port = body[`${pre}Port`];
  const tls = body[`${pre}TLS`];
  if (typeof url === 'string' && url.includes('://') && port === undefined && tls === undefined) return { url };
  if (fallback && url === '') return { url: '' };
  const old = storedParts(stored);
  return buildPoolUrl(typeof url === 'string' ? url : old?.host ?? '', port ?? old?.port ?? 3333, tls ?? (old?.tls ? 1 : 0), `${pre}URL`);
}

function poolsFromArray(
  body: Record<string, unknown>,
  slots: [PoolSlot, PoolSlot],
  patch: Record<string, unknown>,
  ignored: string[],
  notes: string[],
): { slots: [PoolSlot, PoolSlot] } | { errors: Record<string, string> } {
  const pools = body['pools'] ?? [];
  if (!Array.isArray(pools) || pools.length > 16 || !pools.every(isRecord)) return { errors: { pools: 'pools must be a list of at most 16 pool objects' } };
  const index = (key: string, fallback: number): number | string => {
    const v = body[key] ?? fallback;
    return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 15 ? (v as number) : `${key} must be a whole number from 0 to 15`;
  };
  const primary = index('primaryPoolIndex', 0);
  const secondary = index('secondaryPoolIndex', slots[1].url === '' ? (typeof primary === 'number' ? primary : 0) : 1);
  if (typeof primary === 'string') return { errors: { primaryPoolIndex: primary } };
  if (typeof secondary === 'string') return { errors: { secondaryPoolIndex: secondary } };

  const errors: Record<string, string> = {};
  const slotFor = (id: number, label: string): PoolSlot | null => {
    const entry = pools.find((p) => p['id'] === id);
    const stored = id <= 1 ? slots[id]! : null;
    if (entry === undefined) {
      if (stored === null || stored.url === '') {
        errors[label] = `pool ${id} is not configured`;
        return null;
      }
      return { ...stored };
    }
    for (const [k, neutral] of Object.entries(POOL_NEUTRAL)) {
      if (k in entry && entry[k] !== neutral && !ignored.includes(`pools.${k}`)) ignored.push(`pools.${k}`);
    }
    const r = buildPoolUrl(entry['stratumURL'], entry['stratumPort'] ?? 3333, entry['stratumTLS'] ?? 0, `pools[${id}].stratumURL`);
    if ('error' in r) {
      errors[`pools[${id}].stratumURL`] = r.error;
      return null;
    }
    const user = entry['stratumUser'];
    if (typeof user !== 'string' || user === '') {
      errors[`pools[${id}].stratumUser`] = `pools[${id}].stratumUser must be the pool user (your address[.worker])`;
      return null;
    }
    const pw = entry['stratumPassword'];
    const password = pw === undefined || pw === UNCHANGED_SECRET ? (stored?.password ?? 'x') : pw;
    if (typeof password !== 'string') {
      errors[`pools[${id}].stratumPassword`] = `pools[${id}].stratumPassword must be text`;
      return null;
    }
    return { url: r.url, user, password };
  };

  const first = slotFor(primary, 'primaryPoolIndex');
  const second: PoolSlot | null = secondary === primary ? { url: '', user: '', password: '' } : slotFor(secondary, 'secondaryPoolIndex');
  if (first === null || second === null || Object.keys(errors).length > 0) return { errors };

  // One suggested difficulty and one extranonce choice serve both pools: the primary's.
  const chosen = pools.find((p) => p['id'] === primary);
  if (chosen) {
    if ('stratumSuggestedDifficulty' in chosen) patch['suggestDifficulty'] = chosen['stratumSuggestedDifficulty'];
    if ('stratumExtranonceSubscribe' in chosen) patch['extranonceSubscribe'] = chosen['stratumExtranonceSubscribe'] === true || chosen['stratumExtranonceSubscribe'] === 1;
  }
  const other = pools.find((p) => p['id'] === secondary && secondary !== primary);
  if (chosen && other && other['stratumSuggestedDifficulty'] !== undefined && other['stratumSuggestedDifficulty'] !== chosen['stratumSuggestedDifficulty']) {
    notes.push('kilohash suggests one difficulty to both pools: the primary pool\'s applies');
  }
  const unused = pools.map((p) => p['id']).filter((id) => id !== primary && id !== secondary);
  if (unused.length > 0) notes.push(`kilohash keeps two pools, the primary and the backup; pool ${unused.join(', ')} was not stored`);
  return { slots: [first, second] };
}

/** `host` (bare, as AxeOS sends it), port and TLS flag → a kilohash pool URL, checked. */
export function buildPoolUrl(host: unknown, port: unknown, tls: unknown, label: string): { url: string } | { error: string } {
  if (typeof host !== 'string' || host.trim() === '') return { error: `${label} must be the pool's host name` };
  if (host.includes('://')) {
    // A full URL in the host field: its own port and scheme win.
    try {
      parsePoolUrl(host);
      return { url: host };
    } catch (e) {
      return { error: `${label} ${e instanceof Error ? e.message : 'is not a pool URL'}` };
    }
  }
  const p = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (!Number.isInteger(p) || (p as number) < 1 || (p as number) > 65535) return { error: `${label}: the port must be a whole number from 1 to 65535` };
  if (tls !== 0 && tls !== 1 && tls !== 2 && tls !== true && tls !== false) return { error: `${label}: stratumTLS must be 0, 1 or 2` };
  const secure = tls === 1 || tls === 2 || tls === true;
  const h = host.trim();
  // "host:port" (kilohash's own bare form) keeps its port; another colon means an IPv6 address.
  const hostPort = /^[^:[\]]+:\d+$/.test(h);
  const url = `${secure ? 'stratum+ssl' : 'stratum+tcp'}://${hostPort ? h : h.includes(':') && !h.startsWith('[') ? `[${h}]:${p as number}` : `${h}:${p as number}`}`;
  try {
    parsePoolUrl(url);
  } catch (e) {
    return { error: `${label} ${e instanceof Error ? e.message : 'is not a pool URL'}` };
  }
  return { url };
}

function storedParts(url: string): { host: string; port: number; tls: boolean } | null {
  try {
    return url === '' ? null : parsePoolUrl(url);
  } catch {
    return null;
  }
}

