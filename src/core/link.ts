/**
 * The one thing the driver needs from the world: a way to exchange one SPI frame with the
 * core. Implemented by the device's SPI (src/platform/moddable), the behavioural model
 * (model-link.ts), the RTL co-simulation (host/rtl/cosim) and an Espruino board's SPI bridge
 * (host/espruino).
 */

export interface CoreLink {
  /**
   * One frame: chip select low, `frame.length` bytes exchanged full duplex *in place* (the
   * bytes sent are replaced by the bytes received), chip select high. Synchronous links (SPI,
   * the in-process model) return nothing; links that must wait (a simulator process) return
   * a promise.
   */
  transfer(frame: Uint8Array): void | Promise<void>;
  /** The result-ready line, where one is wired. */
  readonly ready?: ReadyLine;
  /** Releases the link (stops a simulator, frees the bus). */
  close?(): void | Promise<void>;
}

export interface ReadyLine {
  read(): boolean;
  /** Calls `callback` when the line rises; returns a function that stops it. */
  onRise?(callback: () => void): () => void;
}

/** A link refused to carry frames at all (simulator died, bus gone). */
export class CoreLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoreLinkError';
  }
}
