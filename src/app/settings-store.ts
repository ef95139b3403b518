/**
 * Settings kept in Storage: read back field by field over the build's defaults (damaged or
 * missing fields fall back), written whole. Until something is written the device is in its
 * first run: the first settings need no password, as on the setup access point.
 */
import { DEFAULT_SETTINGS, loadSettings, type Settings } from '../config/settings.ts';
import type { Log, Storage } from '../platform/interfaces.ts';

const SETTINGS_KEY = 'settings';

export class SettingsStore {
  readonly #storage: Storage;
  readonly #defaults: Settings;
  #stored: boolean;

  /** `defaults`: the build's own (manifest `config`), already validated; else the product's. */
  constructor(storage: Storage, defaults: Settings = DEFAULT_SETTINGS) {
    this.#storage = storage;
    this.#defaults = defaults;
    this.#stored = storage.read(SETTINGS_KEY) !== undefined;
  }

  /** No settings have been stored on this device yet. */
  get firstRun(): boolean {
    return !this.#stored;
  }

  read(log?: Log): Settings {
    const raw = this.#storage.read(SETTINGS_KEY);
    if (raw === undefined) return { ...this.#defaults };
    try {
      return loadSettings(JSON.parse(raw), this.#defaults);
    } catch {
      log?.('warn', 'stored settings are damaged; using the defaults');
      return { ...this.#defaults };
    }
  }

  write(settings: Settings): void {
    this.#storage.write(SETTINGS_KEY, JSON.stringify(settings));
    this.#stored = true;
  }
}
