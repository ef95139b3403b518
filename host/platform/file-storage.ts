/**
 * Storage for the host: one JSON file of key → text. A damaged file reads as empty (the miner
 * falls back to defaults, as the device does with damaged NVS); writes replace the file
 * atomically so a crash never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Storage } from '../../src/platform/interfaces.ts';

export function defaultStatePath(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'kilohash', 'state.json');
}

export function fileStorage(path: string): Storage {
  const load = (): Record<string, string> => {
    try {
      const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  return {
    read: (key) => {
      const v = load()[key];
      return typeof v === 'string' ? v : undefined;
    },
    write: (key, value) => {
      const all = load();
      all[key] = value;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path + '.tmp', JSON.stringify(all, null, 2));
      renameSync(path + '.tmp', path);
    },
  };
}
