/**
 * What a miner may say in mining.authorize's password. Pools read `key=value` options there
 * (ckpool and others take `d=` for a starting difficulty); the classroom pool also reads the
 * power a miner declares, `watts=` (or `w=`), for the lesson's energy figures. Anything else,
 * `x` included, is ignored, as pools do.
 */
export interface WorkerDeclaration {
  /** Declared power draw in watts, if given and sensible (0 < watts ≤ 100 000). */
  watts?: number;
}

const MAX_WATTS = 100_000;

export function parseWorkerPassword(password: unknown): WorkerDeclaration {
  if (typeof password !== 'string') return {};
  const out: WorkerDeclaration = {};
  for (const part of password.slice(0, 256).split(/[,;\s]+/)) {
    const m = /^(watts|w)=(.+)$/i.exec(part);
    if (!m) continue;
    const watts = Number(m[2]);
    if (Number.isFinite(watts) && watts > 0 && watts <= MAX_WATTS) out.watts = watts;
  }
  return out;
}
