/**
 * What an educator may change during a lesson, within what bounds, and the one place a change
 * is checked: a change is applied whole or refused whole, with a message naming the field.
 */
export const CONTROLS = {
  targetBlockSeconds: { min: 1, max: 3600, integer: false, what: 'target block time (s)' },
  retargetWindow: { min: 1, max: 2016, integer: true, what: 'retarget window (blocks)' },
  difficulty: { min: 1e-9, max: 1e15, integer: false, what: 'network difficulty (applies to the block being mined)' },
  pricePerKwh: { min: 0, max: 100, integer: false, what: 'electricity price per kWh' },
  coinPrice: { min: 0, max: 1e9, integer: false, what: "price of one of the chain's coins" },
} as const;

export type ControlName = keyof typeof CONTROLS;
export type ControlChange = Partial<Record<ControlName, number>>;

export type Parsed = { ok: true; change: ControlChange } | { ok: false; error: string };

function isControl(name: string): name is ControlName {
  return Object.hasOwn(CONTROLS, name);
}

export function parseControlChange(body: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, error: 'the body is not JSON: send an object such as {"targetBlockSeconds": 30}' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'send a JSON object of controls to change' };
  const change: ControlChange = {};
  for (const [name, v] of Object.entries(value)) {
    if (!isControl(name)) return { ok: false, error: `unknown control '${name.slice(0, 40)}'; the controls are ${Object.keys(CONTROLS).join(', ')}` };
    const c = CONTROLS[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, error: `${name}: expected a number, got ${JSON.stringify(v)?.slice(0, 40)}` };
    if (v < c.min || v > c.max) return { ok: false, error: `${name} (${c.what}) must be between ${c.min} and ${c.max}, got ${v}` };
    if (c.integer && !Number.isInteger(v)) return { ok: false, error: `${name} (${c.what}) must be a whole number, got ${v}` };
    change[name] = v;
  }
  if (Object.keys(change).length === 0) return { ok: false, error: 'nothing to change: name at least one control' };
  return { ok: true, change };
}
