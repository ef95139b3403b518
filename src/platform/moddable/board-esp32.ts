/**
 * The ESP32 / ESP32-C3 boards: the FPGA core over SPI, Wi-Fi, the status LED and the setup
 * button, with pins from the manifest's `config.kilohash` (one section per board). Nothing
 * runs at module load: the firmware is preloaded into flash, and `main` starts it.
 */
import Digital from 'embedded:io/digital';
import config from 'mc/config';
import Net from 'net';
import { boot } from './boot.ts';
import { deviceMemory, systemFreeBytes } from './memory.ts';
import { loadFpga, type FpgaConfigPins } from './fpga-loader.ts';
import { openOta, rebootSoon } from './ota.ts';
import { moddableClock } from './clock.ts';
import { StatusLed } from './led.ts';
import { SpiCoreLink, type SpiPins } from './spi-link.ts';
import { preferenceStorage } from './storage.ts';
import { moddableTransport } from './transport.ts';
import { joinNetwork, openAccessPoint, WifiScanner } from './wifi.ts';
import { SerialConsole, type SerialConsoleConfig } from './serial-console.ts';

interface BoardConfig {
  board: string;
  spi: SpiPins;
  /** Boards whose FPGA has no flash of its own (ICE-V Wireless): the firmware loads it. */
  fpga?: FpgaConfigPins;
  led?: number;
  ledActiveHigh?: boolean;
  /** Held low at boot: open the setup access point. */
  button?: number;
  apPassword?: string;
  /**
   * The console UART, where it is one (the ULX3S's ESP32: UART0, which the board's USB serial
   * reaches through the FPGA). Not on the ESP32-C3, whose console is its USB-Serial/JTAG.
   */
  console?: SerialConsoleConfig;
}

/** A debug or instrumented build's xsbug connection owns UART0 (Moddable's debugger_uart.c). */
function openConsole(cfg: SerialConsoleConfig): SerialConsole {
  try {
    return new SerialConsole(cfg);
  } catch (e) {
    const busy = /in use/.test((e as Error).message);
    throw new Error(busy ? `${(e as Error).message} (a debug build's xsbug connection holds it: build without -d for the console)` : (e as Error).message);
  }
}

/** Moddable calls the main module's default export once the runtime is up. */
export default function main(): void {
  const cfg = config.kilohash as BoardConfig;
  const led = new StatusLed(moddableClock, cfg.led, cfg.ledActiveHigh ?? true);
  const scanner = new WifiScanner(moddableClock);
  void boot({
    name: cfg.board,
    clock: moddableClock,
    storage: preferenceStorage,
    transport: moddableTransport,
    openCore: () => {
      if (cfg.fpga) {
        const r = loadFpga(cfg.spi, cfg.fpga);
        trace(`kilohash: FPGA configured (${r.bytes} bytes, CDONE after ${r.dummyBytes} dummy bytes)\n`);
      }
      return new SpiCoreLink(cfg.spi);
    },
    closeCore: (link) => link.close?.(),
    joinNetwork: (ssid, password) => joinNetwork(ssid, password, moddableClock),
    openAccessPoint: () => openAccessPoint(`kilohash-${Net.get('MAC').slice(-5).replace(':', '')}`, cfg.apPassword),
    setupRequested: () => {
      if (cfg.button === undefined) return false;
      const b = new Digital({ pin: cfg.button, mode: Digital.InputPullUp });
      const held = b.read() === 0;
      b.close();
      return held;
    },
    led: (s) => led.show(s),
    ...(cfg.console ? { openConsole: () => openConsole(cfg.console!) } : {}),
    httpPort: 80,
    config: config as unknown as Record<string, unknown>,
    memory: deviceMemory,
    device: () => {
      const free = systemFreeBytes();
      const ip = String(Net.get('IP') ?? '');
      const rssi = Number(Net.get('RSSI'));
      return {
        macAddr: String(Net.get('MAC') ?? '').toUpperCase(),
        ...(ip ? { ipv4: ip } : {}),
        ssid: String(Net.get('SSID') ?? ''),
        ...(Number.isFinite(rssi) && rssi !== 0 ? { wifiRSSI: rssi } : {}),
        ...(free !== undefined ? { freeHeap: free } : {}),
      };
    },
    identify: () => led.identify(),
    wifiNetworks: () => scanner.list(),
    ota: openOta,
    reboot: rebootSoon,
  });
}
