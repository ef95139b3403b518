/**
 * src/work — the mining math, pure functions over Uint8Array: hex and byte orders, SHA-256
 * with its midstate, coinbase → merkle root → header, targets and difficulty, version rolling,
 * the extranonce2 counter. It imports nothing outside this folder and runs on XS and Node.
 */
export * from './bytes.ts';
export * from './errors.ts';
export * from './extranonce2.ts';
export * from './header-work.ts';
export * from './job.ts';
export * from './nonce-hasher.ts';
export * from './sha256.ts';
export * from './target.ts';
export * from './version-rolling.ts';
