/**
 * Storage for the desktop build (lin): one JSON file, `kilohash.json` under the build's file
 * root (/tmp/ on lin), read on first use. lin's own `preference` module reads its file when it
 * is loaded, and the firmware is preloaded at build time, where that read cannot run: its
 * cache would be frozen empty. Same limits as the device's `preference` (storage-limits.ts).
 */
import { File } from 'file';
import config from 'mc/config';
import type { Storage } from '../interfaces.ts';
import { checkStorageEntry } from './storage-limits.ts';

export const STORAGE_FILE = 'kilohash.json';

let cache: Record<string, string> | undefined;

function path(): string {
  return `${(config as unknown as { file: { root: string } }).file.root}${STORAGE_FILE}`;
}

function load(): Record<string, string> {
  if (cache) return cache;
  const loaded: Record<string, string> = {};
  try {
    if (File.exists(path())) {
      const f = new File(path());
      const parsed = JSON.parse(f.read(String) as string) as unknown;
      f.close();
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') loaded[k] = v;
      }
    }
  } catch {
    // an unreadable file reads as empty: the settings fall back to their defaults
  }
  return (cache = loaded);
}

export const fileStorage: Storage = {
  read: (key) => load()[key],
  write(key, value) {
    checkStorageEntry(key, value);
    const all = { ...load(), [key]: value };
    File.delete(path());
    const f = new File(path(), true);
    f.write(JSON.stringify(all));
    f.close();
    cache = all;
  },
};
