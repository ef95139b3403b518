/**
 * A build of the pipelined engine for large FPGAs (hdl/kh_pipe_engine.v): how many clocks each
 * stage holds a nonce (LOOP: a nonce enters every LOOP clocks) and how many rounds a stage
 * applies each clock (ROUNDS). Together they fix the stages per hash, 64 / (LOOP · ROUNDS).
 */
export interface Pipeline {
  loop: number;
  rounds: number;
}

export const PIPELINE_LOOPS: readonly number[] = [1, 2, 4, 8, 16, 32, 64];
export const PIPELINE_ROUNDS: readonly number[] = [1, 2, 4];

/** Register stages per hash (hash 1's; hash 2 ends with the stage that applies round 60). */
export function pipelineStages(p: Pipeline): number {
  return 64 / (p.loop * p.rounds);
}

/** Why the RTL cannot be built this way, or null. */
export function pipelineProblem(p: Pipeline): string | null {
  if (!PIPELINE_LOOPS.includes(p.loop)) return `the pipelined core reuses each stage ${PIPELINE_LOOPS.join(', ')} times, not ${p.loop}`;
  if (!PIPELINE_ROUNDS.includes(p.rounds)) return `a stage applies ${PIPELINE_ROUNDS.join(', ')} rounds a clock, not ${p.rounds}`;
  if (p.loop * p.rounds > 64) return `${p.rounds} rounds a clock for ${p.loop} clocks is more than a hash's 64 rounds`;
  return null;
}

/**
 * The build a user asks for with --loop and --stages (stages per hash): --stages alone keeps
 * the fallback's loop (else 1), --loop alone means one round a clock. Throws a RangeError
 * that says which stage counts the loop allows.
 */
export function pipelineFromFlags(loop: number | undefined, stages: number | undefined, fallback?: Pipeline): Pipeline | undefined {
  if (loop === undefined && stages === undefined) return fallback;
  const l = loop ?? fallback?.loop ?? 1;
  if (stages === undefined) return { loop: l, rounds: 1 };
  const rounds = 64 / (l * stages);
  const p = { loop: l, rounds };
  if (!Number.isInteger(rounds) || pipelineProblem(p) !== null) {
    const allowed = PIPELINE_ROUNDS.filter((r) => l * r <= 64).map((r) => `${64 / (l * r)}`);
    const list = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
    throw new RangeError(`--stages: with --loop ${l} a hash has ${list} stages (1, 2 or 4 rounds a clock), not ${stages}`);
  }
  return p;
}

/** Hash 2's register stages: it ends with the stage that applies round 60 (the share test reads e after it). */
export function hash2Stages(p: Pipeline): number {
  return Math.ceil(61 / (p.loop * p.rounds));
}

/** "a nonce every clock, 2 rounds a clock: 32 stages for hash 1, 31 for hash 2". */
export function describePipeline(p: Pipeline): string {
  const every = p.loop === 1 ? 'a nonce every clock' : `a nonce every ${p.loop} clocks`;
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const [one, two] = [pipelineStages(p), hash2Stages(p)];
  const stages = one === two ? `${plural(one, 'stage')} a hash` : `${plural(one, 'stage')} for hash 1, ${two} for hash 2`;
  return `${every}, ${plural(p.rounds, 'round')} a clock: ${stages}`;
}
