/**
 * Loads a bitstream into an iCE40 over its SPI slave configuration port (Lattice FPGA-TN-02001,
 * "SPI Slave Configuration"), as the ESP32-C3 of the ICE-V Wireless must at every power-up: the
 * UP5K there has no flash of its own. The pins are the ECMA-419 shapes (embedded:io/digital,
 * embedded:io/spi) so the device passes its real IO and the host test a fake iCE40 port.
 *
 *   1. SPI_SS_B low, CRESET_B low for ≥ 200 ns, CRESET_B high (SS low at that edge = slave mode)
 *   2. wait ≥ 1200 µs while the FPGA clears its configuration memory
 *   3. the bitstream, MSB first, SCK 1–25 MHz
 *   4. dummy bytes until CDONE rises (bounded), then ≥ 49 more clocks (7 bytes)
 *   5. SPI_SS_B high: the pins now belong to the user design (the core's SPI)
 */
import { checkBitstream, UP5K, type Ice40Die } from './bitstream.ts';

export interface DigitalOut { write(value: number): void }
export interface DigitalIn { read(): number }
/** The SPI bus without a select pin: SS_B is driven by hand around the whole image. */
export interface SpiOut { write(buffer: Uint8Array): void }

export interface Ice40Port {
  creset: DigitalOut;
  cdone: DigitalIn;
  ss: DigitalOut;
  spi: SpiOut;
  /** Waits at least `us` microseconds (the device blocks on Timer.delay). */
  delayUs(us: number): void;
}

/** A bitstream read in pieces (on the device a flash resource; on the host a Uint8Array). */
export interface BitstreamSource {
  readonly byteLength: number;
  read(offset: number, length: number): Uint8Array;
}

export interface ConfigureOptions {
  die?: Ice40Die;
  /** Bytes per SPI write. */
  chunk?: number;
  /** Dummy bytes clocked after the image before giving up on CDONE. */
  maxDummyBytes?: number;
}

export interface ConfigureReport {
  bytes: number;
  /** Dummy bytes it took for CDONE to rise (the 7 trailing ones not counted). */
  dummyBytes: number;
}

export class FpgaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FpgaConfigError';
  }
}

export const RESET_LOW_US = 1;
export const CLEAR_WAIT_US = 1200;
/** 56 clocks: TN-02001 asks for at least 49 after CDONE rises. */
export const TRAILING_BYTES = 7;

const HEAD_BYTES = 64;

export function configureIce40(port: Ice40Port, image: BitstreamSource, options: ConfigureOptions = {}): ConfigureReport {
  const die = options.die ?? UP5K;
  const check = checkBitstream(image.read(0, Math.min(HEAD_BYTES, image.byteLength)), image.byteLength, die);
  if (!check.ok) throw new FpgaConfigError(`bitstream refused: ${check.reason}`);
  const chunk = options.chunk ?? 1024;
  const maxDummy = options.maxDummyBytes ?? 2048;

  port.ss.write(0);
  port.creset.write(0);
  port.delayUs(RESET_LOW_US);
  port.creset.write(1);
  port.delayUs(CLEAR_WAIT_US);
  if (port.cdone.read() !== 0) {
    port.ss.write(1);
    throw new FpgaConfigError('CDONE stayed high through CRESET_B: the FPGA did not reset (check the CRESET_B wiring)');
  }

  for (let at = 0; at < image.byteLength; at += chunk) port.spi.write(image.read(at, Math.min(chunk, image.byteLength - at)));

  const dummy = new Uint8Array(1);
  let dummyBytes = 0;
  while (port.cdone.read() === 0) {
    if (dummyBytes === maxDummy) {
      port.ss.write(1);
      throw new FpgaConfigError(`CDONE did not rise within ${maxDummy} bytes after the ${image.byteLength}-byte bitstream (wrong or damaged image, or SCK/MOSI miswired)`);
    }
    port.spi.write(dummy);
    dummyBytes++;
  }
  port.spi.write(new Uint8Array(TRAILING_BYTES));
  port.ss.write(1);
  return { bytes: image.byteLength, dummyBytes };
}
