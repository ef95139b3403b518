/**
 * Moddable's desktop simulator (`lin`): the real firmware without a board. The network is the
 * computer's, and the core is the behavioural model compiled into the firmware (there is no
 * SPI there), so anyone can run the device build against a pool.
 */
import config from 'mc/config';
import { ModelLink } from '../../core/model/model-link.ts';
import { boot } from './boot.ts';
import { moddableClock } from './clock.ts';
import { preferenceStorage } from './storage.ts';
import { moddableTransport } from './transport.ts';

void boot({
  name: 'desktop simulator (model core)',
  clock: moddableClock,
  storage: preferenceStorage,
  transport: moddableTransport,
  openCore: () => new ModelLink({ clock: moddableClock }),
  led: (s) => trace(`kilohash: ${s}\n`),
  httpPort: (config.kilohash as { httpPort?: number } | undefined)?.httpPort ?? 8080,
});
