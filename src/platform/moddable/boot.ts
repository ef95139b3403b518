/**
 * The device's boot order, the same on every board: settings (stored, else the build's) →
 * network (or the setup access point) → status API → core bring-up (the board loads its FPGA,
 * probes, self-tests; one retry) → pool → mine. The application itself is src/app's MinerApp;
 * this file only adds what a device has and a host does not: Wi-Fi, the access point, the LED.
 */
import { buildSettings } from '../../app/build-settings.ts';
import { DEVICE_HISTORY, MinerApp, type DeviceMemory } from '../../app/miner-app.ts';
import { ConsoleCommands } from '../../app/console-commands.ts';
import { consoleLine } from '../../app/console-line.ts';
import { describeEvent, eventLevel } from '../../miner/event-text.ts';
import { ConsoleSession } from '../../app/console-session.ts';
import { SettingsStore } from '../../app/settings-store.ts';
import type { CoreLink } from '../../core/link.ts';
import { PasswordThrottle } from '../../ui/request-guard.ts';
import type { Clock, ConsolePort, Log, Storage, TransportFactory } from '../interfaces.ts';
import { serveApi } from './http-server.ts';
import type { LedState } from './led.ts';
import type { OtaTarget } from '../../ui/ota.ts';
import type { DeviceFacts } from '../../ui/axeos/system-info.ts';

export interface Board {
  name: string;
  clock: Clock;
  storage: Storage;
  transport: TransportFactory;
  /** Brings the core up (loads the FPGA where the board must, then opens its link). */
  openCore(): CoreLink | Promise<CoreLink>;
  closeCore?(link: CoreLink): void;
  /** Joins the configured network; false when it cannot (absent on the desktop simulator). */
  joinNetwork?(ssid: string, password: string): Promise<boolean>;
  /** Opens the setup access point. */
  openAccessPoint?(): void;
  /** A button held at boot asks for the setup access point. */
  setupRequested?(): boolean;
  led(state: LedState): void;
  /**
   * Opens the serial console the owner types set-up commands on (throws, saying why, when the
   * port cannot be had). Absent where the console is not ours to read: the ESP32-C3's
   * USB-Serial/JTAG, which Moddable's serial does not drive.
   */
  openConsole?(): ConsolePort;
  httpPort: number;
  /** The build's `config`: settings given at build time (src/app/build-settings.ts). */
  config?: Record<string, unknown>;
  /** Firmware update over Wi-Fi, where the board has an OTA partition. */
  ota?(byteLength: number): OtaTarget;
  /** Restarts the device (after an update). */
  reboot?(): void;
  memory?(): DeviceMemory | undefined;
  /** The board's address, Wi-Fi and memory as the runtime reports them (AxeOS's system page). */
  device?(): Partial<DeviceFacts>;
  /** Blinks the LED so the owner can find the board (AxeOS's identify). */
  identify?(): void;
  /** Networks in range from the last Wi-Fi scan. */
  wifiNetworks?(): Array<{ ssid: string; rssi: number; authmode: number }>;
}

export async function boot(board: Board): Promise<MinerApp> {
  // First, so that every line from here on reaches the port the owner is watching.
  let consolePort: ConsolePort | undefined;
  let consoleProblem: string | undefined;
  try {
    consolePort = board.openConsole?.();
  } catch (e) {
    consoleProblem = (e as Error).message;
  }
  const log: Log = (level, text) => {
    const line = consoleLine(level, text);
    trace(line);
    consolePort?.write(line);
  };
  if (consoleProblem !== undefined) log('warn', `no set-up commands on the console: ${consoleProblem}`);

  board.led('boot');
  const store = new SettingsStore(board.storage, buildSettings(board.config, log));
  const settings = store.read(log);

  let provisioning = false;
  if (board.joinNetwork) {
    const wanted = settings.wifiSSID !== '' && !(board.setupRequested?.() ?? false);
    board.led('wifi');
    if (!wanted || !(await board.joinNetwork(settings.wifiSSID, settings.wifiPassword))) {
      log('warn', wanted ? 'Wi-Fi failed; opening the setup access point' : 'no Wi-Fi configured; opening the setup access point');
      board.openAccessPoint?.();
      provisioning = true;
    }
  }

  const app = new MinerApp({
    settings,
    store,
    provisioning,
    clock: board.clock,
    transport: board.transport,
    storage: board.storage,
    log,
    hostname: 'kilohash',
    boardName: board.name,
    runtime: 'Moddable XS',
    ...DEVICE_HISTORY,
    ...(board.memory ? { memory: board.memory } : {}),
    ...(board.device ? { device: board.device } : {}),
    ...(board.identify ? { identify: board.identify } : {}),
    ...(board.wifiNetworks ? { wifiNetworks: board.wifiNetworks } : {}),
    openCore: () => {
      board.led('self-test');
      return board.openCore();
    },
    ...(board.closeCore ? { closeCore: board.closeCore } : {}),
    onEvent: (e) => {
      // The app keeps events in its log page only; the console shows them too, as `kilohash mine` prints them.
      const level = eventLevel(e);
      if (level !== 'debug') log(level, describeEvent(e));
      switch (e.type) {
        case 'core-ready': board.led('pool'); break;
        case 'job': board.led('mining'); break;
        case 'core-fault':
        case 'auth-failed': board.led('fault'); break;
        case 'disconnected': board.led('pool'); break;
        // No change of LED: the status and the log carry these.
        case 'block-candidate':
        case 'connected':
        case 'job-switch':
        case 'share':
        case 'best':
        case 'hardware-error':
        case 'message':
          break;
        default: {
          // A new MinerEvent fails to compile here until it is given an LED state or none.
          const unhandled: never = e;
          return unhandled;
        }
      }
    },
  });

  const start = async (): Promise<void> => {
    await app.start();
    if (app.state.kind === 'setup') board.led('setup');
  };

  // After the access point took settings, join the network before mining.
  const restart = async (): Promise<void> => {
    await app.stop();
    if (app.provisioning && board.joinNetwork && app.settings.wifiSSID !== '') {
      board.led('wifi');
      if (!(await board.joinNetwork(app.settings.wifiSSID, app.settings.wifiPassword))) {
        board.openAccessPoint?.();
        board.led('setup');
        return;
      }
      app.provisioning = false;
    }
    await start();
  };

  if (consolePort) {
    // The same rules as the HTTP API (the admin password, the delay after a wrong one), and the same restart.
    const commands = new ConsoleCommands(app.apiHost(restart), new PasswordThrottle(() => board.clock.now()));
    const port = consolePort;
    const session = new ConsoleSession(commands, (text) => port.write(text));
    port.listen((bytes) => session.push(bytes));
    log('info', `set-up commands on the console (${port.name}): kh show | auth | set | save | restart`);
  }

  serveApi(app.apiHost(restart), board.httpPort, board.ota && board.reboot ? { open: board.ota, reboot: board.reboot } : undefined, board.clock);
  if (provisioning) board.led('setup');
  else await start();
  return app;
}
