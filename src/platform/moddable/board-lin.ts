/**
 * Moddable's desktop simulator (`lin`): the real firmware without a board. The network is the
 * computer's, and the core is the behavioural model compiled into the firmware (there is no
 * SPI there), so anyone can run the device build against a pool. Nothing runs at module load:
 * the firmware is preloaded into flash at build time, and `main` starts it on the device.
 */
import config from 'mc/config';
import { ModelLink } from '../../core/model/model-link.ts';
import { boot } from './boot.ts';
import { deviceMemory } from './memory.ts';
import { moddableClock } from './clock.ts';
import { fileStorage } from './file-storage.ts';
import { moddableTransport } from './transport.ts';
import { SerialConsole, type SerialConsoleConfig } from './serial-console.ts';

interface LinConfig {
  httpPort?: number;
  /** The console: a tty path (manifest.json: a link a test or a desktop user points at a terminal). */
  console?: SerialConsoleConfig;
}

/** Moddable calls the main module's default export once the runtime is up. */
export default function main(): void {
  const cfg = (config.kilohash ?? {}) as LinConfig;
  void boot({
    name: 'desktop simulator (model core)',
    clock: moddableClock,
    storage: fileStorage,
    transport: moddableTransport,
    // Hashing slices are spaced by 1 ms timers: on lin a 0 ms timer runs at GLib's high priority
    // and a model that re-arms one without end starves the sockets (HTTP, the pool) entirely.
    openCore: () => new ModelLink({ clock: moddableClock, defer: (fn) => void moddableClock.setTimeout(fn, 1) }),
    led: (s) => trace(`kilohash: ${s}\n`),
    ...(cfg.console ? { openConsole: () => new SerialConsole(cfg.console!) } : {}),
    httpPort: cfg.httpPort ?? 8080,
    config: config as unknown as Record<string, unknown>,
    memory: deviceMemory,
  });
}
