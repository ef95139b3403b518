/**
 * Storage on Moddable's `preference` (NVS on the ESP32): one domain, keys of at most 15
 * characters, values of at most 4000 bytes. A value that cannot be read back as text reads as
 * missing, so damaged settings fall back to defaults instead of stopping the boot.
 */
import Preference from 'preference';
import type { Storage } from '../interfaces.ts';
import { checkStorageEntry } from './storage-limits.ts';

const DOMAIN = 'kilohash';

export const preferenceStorage: Storage = {
  read(key) {
    try {
      const v = Preference.get(DOMAIN, key);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  },
  write(key, value) {
    checkStorageEntry(key, value);
    Preference.set(DOMAIN, key, value);
  },
};
