/**
 * The board's console as the device reads it: bytes as they arrive on the serial port, cut into
 * lines, each line handed to the set-up commands (console-commands.ts) and each answer written
 * back as one `kilohash reply:` line (console-line.ts).
 *
 * A person at a terminal program ends a line with CR (screen, minicom, PuTTY), a program with
 * LF or CRLF (`kilohash serial setup`, pyserial): all three end a line, and the LF of a CRLF does
 * not end a second, empty one. Lines are bounded: a longer one is dropped whole and answered
 * with an error, so a port carrying noise at the wrong baud rate cannot fill the heap.
 */
import { ConsoleCommands, MAX_COMMAND_CHARS } from './console-commands.ts';
import { replyLine } from './console-line.ts';
import { LineFramer } from '../stratum/line-framer.ts';

const CR = 0x0d;
const LF = 0x0a;
/** A command of MAX_COMMAND_CHARS characters, each up to 4 bytes of UTF-8. */
export const MAX_CONSOLE_LINE_BYTES = MAX_COMMAND_CHARS * 4;

export class ConsoleSession {
  readonly #framer: LineFramer;
  /** The last byte pushed was a CR: an LF right after it belongs to the same line end. */
  #afterCr = false;

  constructor(commands: ConsoleCommands, write: (text: string) => void) {
    this.#framer = new LineFramer(
      {
        onLine: (line) => {
          const reply = commands.handle(line);
          if (reply) write(replyLine(reply));
        },
        onOverflow: (bytes) => write(replyLine({ ok: false, error: `line of ${bytes} bytes dropped: a command is at most ${MAX_COMMAND_CHARS} characters` })),
      },
      MAX_CONSOLE_LINE_BYTES,
    );
  }

  /** Bytes as the port delivered them: any split, any number of lines. */
  push(bytes: Uint8Array): void {
    let out: Uint8Array | undefined;
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const skip = b === LF && this.#afterCr;
      this.#afterCr = b === CR;
      // Copy only once a byte differs from the input (most chunks have no CR at all).
      if (out === undefined && (skip || b === CR)) {
        out = new Uint8Array(bytes.length);
        out.set(bytes.subarray(0, i));
        n = i;
      }
      if (out === undefined || skip) continue;
      out[n++] = b === CR ? LF : b;
    }
    this.#framer.push(out === undefined ? bytes : out.subarray(0, n));
  }
}
