/**
 * The ESP32 / ESP32-C3 boards: the FPGA core over SPI, Wi-Fi, the status LED and the setup
 * button, with pins from the manifest's `config.kilohash` (one section per board).
 */
import Digital from 'embedded:io/digital';
import config from 'mc/config';
import Net from 'net';
import { boot } from './boot.ts';
import { moddableClock } from './clock.ts';
import { StatusLed } from './led.ts';
import { SpiCoreLink, type SpiPins } from './spi-link.ts';
import { preferenceStorage } from './storage.ts';
import { moddableTransport } from './transport.ts';
import { joinNetwork, openAccessPoint } from './wifi.ts';

interface BoardConfig {
  board: string;
  spi: SpiPins;
  led?: number;
  ledActiveHigh?: boolean;
  /** Held low at boot: open the setup access point. */
  button?: number;
  apPassword?: string;
}

const cfg = config.kilohash as BoardConfig;
const led = new StatusLed(moddableClock, cfg.led, cfg.ledActiveHigh ?? true);

void boot({
  name: cfg.board,
  clock: moddableClock,
  storage: preferenceStorage,
  transport: moddableTransport,
  openCore: () => new SpiCoreLink(cfg.spi),
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
  httpPort: 80,
});
