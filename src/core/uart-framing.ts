/**
 * The UART link's byte framing (docs/core-protocol.md §9): a frame goes to the core SLIP-framed
 * (encodeUartFrame; UartFrameDecoder cuts the stream back into frames on the core's side), and
 * comes back as one plain byte per byte, each the core's answer to it (uartAnswer, spiReply).
 * Pure and XS-safe: the host's serial link uses it, and so does the model's virtual board; the
 * RTL (kh_uart_link.v) implements the same rules from the same constants (kh_protocol.vh).
 */
import { UART, UART_MAX_BAUD_ERROR, UART_MIN_CYCLES_PER_BIT } from './protocol.ts';

/** END, the frame's bytes escaped, END: what the host puts on the line for one frame. */
export function encodeUartFrame(frame: Uint8Array): Uint8Array {
  let n = 2;
  for (const b of frame) n += b === UART.END || b === UART.ESC ? 2 : 1;
  const out = new Uint8Array(n);
  let i = 0;
  out[i++] = UART.END;
  for (const b of frame) {
    if (b === UART.END) { out[i++] = UART.ESC; out[i++] = UART.ESC_END; }
    else if (b === UART.ESC) { out[i++] = UART.ESC; out[i++] = UART.ESC_ESC; }
    else out[i++] = b;
  }
  out[i] = UART.END;
  return out;
}

/**
 * What the core sends back for a frame whose SPI reply is `spi` (the bytes shifted out during
 * each byte, the first always 0x00) and whose answer to the last byte is `last`: each byte's
 * answer, which SPI shifts out one byte later.
 */
export function uartAnswer(spi: Uint8Array, last: number): Uint8Array {
  const out = new Uint8Array(spi.length);
  out.set(spi.subarray(1));
  if (out.length > 0) out[out.length - 1] = last;
  return out;
}

/** The SPI reply in `frame`, in place, from the core's UART answer: 0x00, then all but its last byte. */
export function spiReply(answer: Uint8Array, frame: Uint8Array): void {
  if (frame.length === 0) return;
  frame.set(answer.subarray(0, frame.length - 1), 1);
  frame[0] = 0;
}

/** One frame cut from the stream: its bytes, and whether it arrived whole. */
export interface UartFrame {
  bytes: Uint8Array;
  /** An escape that was not ESC_END / ESC_ESC, or more bytes than the decoder keeps. */
  damaged: boolean;
}

/**
 * Cuts a byte stream into frames at END. Empty frames (END END) are skipped, as the core
 * skips them. Bounded: a frame longer than `maxBytes` is kept to that length and marked
 * damaged, so noise without an END cannot grow memory.
 */
export class UartFrameDecoder {
  private readonly buf: Uint8Array;
  private n = 0;
  private escaped = false;
  private damaged = false;

  constructor(readonly maxBytes = 256) {
    this.buf = new Uint8Array(maxBytes);
  }

  /** Bytes since the last END that are not yet a frame. */
  get pending(): number {
    return this.n;
  }

  /** Feeds bytes; calls `onFrame` for each frame an END closes. */
  push(data: Uint8Array, onFrame: (f: UartFrame) => void): void {
    for (const b of data) {
      if (b === UART.END) {
        if (this.n > 0 || this.damaged || this.escaped) {
          onFrame({ bytes: this.buf.slice(0, this.n), damaged: this.damaged || this.escaped });
        }
        this.n = 0;
        this.escaped = false;
        this.damaged = false;
        continue;
      }
      let byte = b;
      if (this.escaped) {
        this.escaped = false;
        if (b === UART.ESC_END) byte = UART.END;
        else if (b === UART.ESC_ESC) byte = UART.ESC;
        else { this.damaged = true; continue; }
      } else if (b === UART.ESC) {
        this.escaped = true;
        continue;
      }
      if (this.n < this.maxBytes) this.buf[this.n++] = byte;
      else this.damaged = true;
    }
  }

  /** Forgets a partial frame (after the host gave up on a reply). */
  reset(): void {
    this.n = 0;
    this.escaped = false;
    this.damaged = false;
  }
}

/** Clock cycles per bit a UART core built for `clockHz` uses at `baud`: rounded, as the RTL does. */
export function uartCyclesPerBit(clockHz: number, baud: number): number {
  return Math.floor((clockHz + Math.floor(baud / 2)) / baud);
}

/** Why a UART core clocked at `clockHz` cannot run at `baud`, or undefined when it can. */
export function uartBaudProblem(clockHz: number, baud: number): string | undefined {
  if (!(Number.isInteger(baud) && baud > 0)) return `${baud} is not a baud rate`;
  const cycles = uartCyclesPerBit(clockHz, baud);
  if (cycles < UART_MIN_CYCLES_PER_BIT) {
    return `${baud} baud needs at least ${UART_MIN_CYCLES_PER_BIT} clock cycles a bit: a ${clockHz / 1e6} MHz core runs at most ${Math.floor(clockHz / UART_MIN_CYCLES_PER_BIT)} baud`;
  }
  const error = Math.abs((clockHz / cycles - baud) / baud);
  if (error > UART_MAX_BAUD_ERROR) {
    return `${baud} baud is ${(100 * error).toFixed(1)} % off at ${clockHz / 1e6} MHz (${cycles} cycles a bit); pick a clock that is a multiple of it`;
  }
  return undefined;
}
