/**
 * The device's `preference` limits (NVS on the ESP32), which every Moddable store enforces so the
 * desktop build refuses what the board would. Kept apart from storage.ts: the lin store must not
 * import `preference`, which cannot be preloaded there.
 */
export const MAX_KEY_CHARS = 15;
export const MAX_VALUE_CHARS = 4000;

export function checkStorageEntry(key: string, value: string): void {
  if (key.length > MAX_KEY_CHARS) throw new RangeError(`storage key '${key}' is over ${MAX_KEY_CHARS} characters`);
  if (value.length > MAX_VALUE_CHARS) throw new RangeError(`storage value '${key}' is over ${MAX_VALUE_CHARS} characters`);
}
