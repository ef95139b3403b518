/**
 * src/stratum — the Stratum v1 client. It knows bytes and JSON, not sockets: the runtime
 * gives it a Transport and a Clock. It validates every pool message into a typed union,
 * keeps the session (jobs, difficulty, extranonce, version mask) and the connection
 * (backoff, failover, idle detection), and submits shares without ever losing one silently.
 */
export * from './client.ts';
export * from './events.ts';
export * from './job-book.ts';
export * from './line-framer.ts';
export * from './messages.ts';
export * from './notify.ts';
export * from './pool-url.ts';
