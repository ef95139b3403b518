/**
 * The device's boot, the same on every board: settings → network (or the setup access point)
 * → status API → core self-test → pool → mine. Each step shows on the LED and in trace lines.
 * A board supplies what differs (board-*.ts): its core link, Wi-Fi, LED and button.
 */
import type { CoreLink } from '../../core/link.ts';
import { DEFAULT_SETTINGS, loadSettings, type Settings } from '../../config/settings.ts';
import { energyFromSettings, minerOptionsFromSettings, readBestDifficulty, saveBestDifficulty } from '../../miner/from-settings.ts';
import { Miner } from '../../miner/miner.ts';
import { minerStatus, systemInfo } from '../../miner/status.ts';
import type { ApiHost } from '../../ui/api.ts';
import type { Clock, Storage, TransportFactory } from '../interfaces.ts';
import { serveApi } from './http-server.ts';
import type { LedState } from './led.ts';

export interface Board {
  name: string;
  clock: Clock;
  storage: Storage;
  transport: TransportFactory;
  /** Opens the mining core (SPI to the FPGA, or the model compiled in). */
  openCore(): CoreLink;
  /** Joins the configured network; false when it cannot (absent on the desktop simulator). */
  joinNetwork?(ssid: string, password: string): Promise<boolean>;
  /** Opens the setup access point. */
  openAccessPoint?(): void;
  /** A button held at boot asks for the setup access point. */
  setupRequested?(): boolean;
  led(state: LedState): void;
  httpPort: number;
}

const SETTINGS_KEY = 'settings';

function readSettings(storage: Storage): Settings {
  const raw = storage.read(SETTINGS_KEY);
  if (raw === undefined) return { ...DEFAULT_SETTINGS };
  try {
    return loadSettings(JSON.parse(raw));
  } catch {
    trace('kilohash: stored settings are damaged; using defaults\n');
    return { ...DEFAULT_SETTINGS };
  }
}

export async function boot(board: Board): Promise<void> {
  board.led('boot');
  let settings = readSettings(board.storage);
  let miner: Miner | undefined;
  let link: CoreLink | undefined;
  let bestEver = readBestDifficulty(board.storage);

  let provisioning = false;
  if (board.joinNetwork) {
    const wanted = settings.wifiSSID !== '' && !(board.setupRequested?.() ?? false);
    board.led('wifi');
    if (!wanted || !(await board.joinNetwork(settings.wifiSSID, settings.wifiPassword))) {
      trace(wanted ? 'kilohash: Wi-Fi failed; opening the setup access point\n' : 'kilohash: no Wi-Fi configured; opening the setup access point\n');
      board.openAccessPoint?.();
      provisioning = true;
      board.led('setup');
    }
  }

  const startMining = async (): Promise<void> => {
    if (settings.stratumUser === '') {
      trace('kilohash: no pool user set; open the settings page\n');
      board.led('setup');
      return;
    }
    link ??= board.openCore();
    board.led('self-test');
    miner = new Miner({
      ...minerOptionsFromSettings(settings),
      transport: board.transport,
      clock: board.clock,
      link,
      log: (level, text) => trace(`kilohash ${level}: ${text}\n`),
      bestEver,
      onEvent: (e) => {
        switch (e.type) {
          case 'core-ready': board.led('pool'); break;
          case 'job': board.led('mining'); break;
          case 'core-fault':
          case 'auth-failed': board.led('fault'); break;
          case 'disconnected': board.led('pool'); break;
          case 'best':
            if (e.ever) {
              bestEver = e.difficulty;
              saveBestDifficulty(board.storage, e.difficulty, (text) => trace(`kilohash: ${text}\n`));
            }
            break;
          case 'block-candidate': trace(`kilohash: *** BLOCK CANDIDATE *** ${e.hash}\n`); break;
          default: break;
        }
      },
    });
    try {
      await miner.start();
    } catch (e) {
      trace(`kilohash: core failed its self-test: ${String(e)}\n`);
      board.led('fault');
    }
  };

  const host: ApiHost = {
    provisioning,
    info: () => {
      const st = miner ? minerStatus(miner, board.clock.now()) : null;
      if (!st) return { provisioning, hostname: 'kilohash', boardVersion: board.name };
      return systemInfo(st, { hostname: 'kilohash', boardName: board.name });
    },
    status: () => (miner ? minerStatus(miner, board.clock.now()) : { state: provisioning ? 'setup' : 'starting' }),
    settings: () => settings,
    saveSettings: (next) => {
      settings = next;
      board.storage.write(SETTINGS_KEY, JSON.stringify(next));
      if (miner) Object.assign(miner.energy, energyFromSettings(next));
    },
    restart: () => {
      void (async () => {
        await miner?.stop();
        miner = undefined;
        if (provisioning && board.joinNetwork && settings.wifiSSID !== '') {
          board.led('wifi');
          if (await board.joinNetwork(settings.wifiSSID, settings.wifiPassword)) {
            provisioning = false;
            host.provisioning = false;
          } else {
            board.openAccessPoint?.();
            board.led('setup');
            return;
          }
        }
        await startMining();
      })();
    },
  };
  serveApi(host, board.httpPort);
  if (!provisioning) await startMining();
}
