export * from './driver.ts';
export * from './frames.ts';
export * from './link.ts';
export * from './protocol.ts';
export * from './model/core-model.ts';
export * from './model/model-link.ts';
export * from './model/nonce-scanner.ts';
