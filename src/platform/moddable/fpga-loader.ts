/**
 * The ICE-V Wireless's FPGA loader on the device: the UP5K bitstream, built into the firmware
 * as a resource, clocked into the FPGA over the same SPI pins the core uses afterwards, with
 * CRESET_B and CDONE on GPIO4/GPIO5 (JTAG pins at power-up: opening them as Digital makes them
 * plain GPIO). The sequence itself is src/platform/ice40/configure.ts, shared with the host's
 * fake-port test.
 */
import Digital from 'embedded:io/digital';
import SPI from 'embedded:io/spi';
import Resource from 'Resource';
import Timer from 'timer';
import { configureIce40, FpgaConfigError, type ConfigureReport } from '../ice40/configure.ts';
import type { SpiPins } from './spi-link.ts';

export interface FpgaConfigPins {
  creset: number;
  cdone: number;
  /** The resource name of the bitstream. */
  image: string;
  /** SCK while configuring (1–25 MHz). */
  hz: number;
}

/** CRESET_B is held here, high, for the life of the firmware: a closed pin could float low. */
let heldReset: Digital | undefined;

export function loadFpga(spiPins: SpiPins, pins: FpgaConfigPins): ConfigureReport {
  if (!Resource.exists(pins.image)) throw new FpgaConfigError(`no bitstream '${pins.image}' in this firmware (build it with npx kilohash firmware)`);
  const image = new Resource(pins.image);
  heldReset?.close();
  const creset = new Digital({ pin: pins.creset, mode: Digital.Output });
  heldReset = creset;
  const cdone = new Digital({ pin: pins.cdone, mode: Digital.Input });
  const ss = new Digital({ pin: spiPins.cs, mode: Digital.Output });
  const spi = new SPI({ clock: spiPins.sck, out: spiPins.mosi, in: spiPins.miso, hz: pins.hz, mode: 0 });
  try {
    return configureIce40(
      {
        creset,
        cdone,
        ss,
        spi,
        delayUs: (us) => Timer.delay(Math.ceil(us / 1000)),
      },
      { byteLength: image.byteLength, read: (offset, length) => new Uint8Array(image.slice(offset, offset + length)) },
    );
  } finally {
    // ECMA-419 IO classes all have close(); @moddable/typings leaves it off SPI.
    (spi as SPI & { close(): void }).close();
    ss.close();
    cdone.close();
  }
}
