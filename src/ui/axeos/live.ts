import type { LogLevel } from '../../platform/interfaces.ts';

/**
 * AxeOS's live feed (`/api/ws/live`): `{"event":"update","data":{…}}` messages carrying the
 * fields of the info object that changed since the last message — the whole object to a client
 * that just connected. AxeOS drops and reopens the socket when 5 s pass without a message, so
 * the servers tick once a second and the uptime field changes on every tick.
 */
export class LiveFeed {
  #last: Record<string, string> | null = null;

  constructor(private readonly info: () => object) {}

  /**
   * The whole object, for a client that just connected; it is the baseline of the next changes
   * unless other clients already have one (they would miss changes since their last message).
   */
  full(): string {
    const now = this.info() as Record<string, unknown>;
    if (this.#last === null) this.#last = encode(now);
    return JSON.stringify({ event: 'update', data: now });
  }

  /** The fields that changed since the previous call (null: none changed). */
  next(): string | null {
    const now = this.info() as Record<string, unknown>;
    const encoded = encode(now);
    const data: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(encoded)) if (this.#last?.[k] !== e) data[k] = now[k];
    this.#last = encoded;
    return Object.keys(data).length === 0 ? null : JSON.stringify({ event: 'update', data });
  }

  /** Forget the baseline (no clients are listening: the next client gets the whole object anyway). */
  reset(): void {
    this.#last = null;
  }
}

function encode(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = JSON.stringify(v);
  return out;
}

const ESP_IDF: Record<LogLevel, string> = { error: '31mE', warn: '33mW', info: '32mI', debug: '37mD' };

/**
 * A log line as AxeOS's log page reads it from `/api/ws`: ESP-IDF's form — the level's colour
 * as an ANSI escape, its letter, the line, the reset escape and a newline. AxeOS picks the
 * colour from the escape and cuts the first nine and the last five characters before showing
 * the line, so the form must be exactly this.
 */
export function logSocketLine(line: string, level: LogLevel): string {
  return `\x1b[0;${ESP_IDF[level]} ${line}\x1b[0m\n`;
}
