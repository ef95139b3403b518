/**
 * The FPGA core over SPI (`embedded:io/spi`, mode 0) plus the result-ready pin
 * (`embedded:io/digital`, rising edge). `transfer` is synchronous and in place, and chip select
 * stays low until `flush(true)`: every frame ends with it, because the core reads CS_N rising
 * as the end of the frame (docs/core-protocol.md).
 */
import Digital from 'embedded:io/digital';
import SPI from 'embedded:io/spi';
import type { CoreLink, ReadyLine } from '../../core/link.ts';

export interface SpiPins {
  sck: number;
  mosi: number;
  miso: number;
  cs: number;
  /** The core's READY output, if wired. */
  ready?: number;
  /** SCK in Hz: at most the core clock / 8 (docs/core-protocol.md §1). */
  hz: number;
  port?: number;
}

export class SpiCoreLink implements CoreLink {
  readonly ready: ReadyLine | undefined;
  private readonly spi: SPI;
  private readonly pin: Digital | undefined;
  private readonly risers = new Set<() => void>();

  constructor(pins: SpiPins) {
    this.spi = new SPI({
      clock: pins.sck,
      out: pins.mosi,
      in: pins.miso,
      select: pins.cs,
      active: 0,
      hz: pins.hz,
      mode: 0,
      ...(pins.port !== undefined ? { port: pins.port } : {}),
    });
    if (pins.ready !== undefined) {
      const risers = this.risers;
      this.pin = new Digital({
        pin: pins.ready,
        mode: Digital.Input,
        edge: Digital.Rising,
        onReadable() {
          for (const cb of risers) cb();
        },
      });
      const pin = this.pin;
      this.ready = {
        read: () => pin.read() === 1,
        onRise: (cb) => {
          risers.add(cb);
          return () => risers.delete(cb);
        },
      };
    }
  }

  transfer(frame: Uint8Array): void {
    this.spi.transfer(frame);
    this.spi.flush(true);
  }

  close(): void {
    this.pin?.close();
  }
}
