/**
 * Firmware update over Wi-Fi, as AxeOS users know it: `POST /api/system/OTA` with the image as
 * the body and the admin password. The image streams into the next app partition (Moddable's
 * `ota` on the ESP32: write, then `complete()` verifies it and makes it the boot partition);
 * anything short, oversized, not an ESP32 image or refused by `complete()` is cancelled and the
 * running firmware stays. The bitstream for the FPGA ships inside the image (a resource).
 *
 * | upload state | on a chunk                         | at the end of the body                 |
 * |--------------|------------------------------------|----------------------------------------|
 * | `receiving`  | bounded write; first byte checked  | all bytes → complete(), else cancel()  |
 * | `done`       | —                                  | the device restarts into the new image |
 * | `failed`     | ignored (already cancelled)        | the error is the response              |
 */
import type { Settings } from '../config/settings.ts';
import { checkOrigin, checkPassword, type HttpRequest, type HttpResponse } from './api.ts';
import type { PasswordThrottle } from './request-guard.ts';

/** Where the image goes: the shape of Moddable's `ota` module. */
export interface OtaTarget {
  write(bytes: ArrayBuffer): void;
  /** Verifies the whole image and selects it for the next boot; throws when it is not valid. */
  complete(): void;
  cancel(): void;
}

export const OTA_PATH = '/api/system/OTA';
/** An ESP-IDF app image starts with this byte. */
export const ESP_IMAGE_MAGIC = 0xe9;
/** The smallest and largest image accepted (the app partitions of our ESP32 layouts are 1.9 MB or less). */
export const MIN_IMAGE_BYTES = 64 * 1024;
export const MAX_IMAGE_BYTES = 0x1f0000;

type UploadState = { kind: 'receiving' } | { kind: 'done' } | { kind: 'failed'; response: HttpResponse };

const json = (status: number, value: unknown): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });

export class OtaUpload {
  readonly expected: number;
  received = 0;
  #state: UploadState = { kind: 'receiving' };
  readonly #target: OtaTarget;

  constructor(target: OtaTarget, expected: number) {
    this.#target = target;
    this.expected = expected;
  }

  get succeeded(): boolean {
    return this.#state.kind === 'done';
  }

  write(chunk: ArrayBuffer): void {
    if (this.#state.kind !== 'receiving') return;
    if (this.received === 0 && chunk.byteLength > 0 && new Uint8Array(chunk)[0] !== ESP_IMAGE_MAGIC) {
      return void this.#fail(400, `not an ESP32 firmware image (first byte 0x${new Uint8Array(chunk)[0]!.toString(16)}, expected 0xe9); nothing was changed`);
    }
    if (this.received + chunk.byteLength > this.expected) return void this.#fail(400, `more bytes than Content-Length ${this.expected}; nothing was changed`);
    try {
      this.#target.write(chunk);
    } catch (e) {
      return void this.#fail(500, `could not write the update: ${message(e)}; nothing was changed`);
    }
    this.received += chunk.byteLength;
  }

  /** The body ended (or the connection did): verify and select the image, or cancel. */
  finish(): HttpResponse {
    if (this.#state.kind === 'failed') return this.#state.response;
    if (this.received !== this.expected) return this.#fail(400, `upload truncated: ${this.received} of ${this.expected} bytes; nothing was changed`);
    try {
      this.#target.complete();
    } catch (e) {
      return this.#fail(400, `the image was refused: ${message(e)}; nothing was changed`);
    }
    this.#state = { kind: 'done' };
    return json(200, { updated: true, bytes: this.received, restarting: true });
  }

  /** The connection broke mid-upload. */
  abort(): void {
    if (this.#state.kind === 'receiving') this.#fail(400, `connection lost after ${this.received} of ${this.expected} bytes; nothing was changed`);
  }

  #fail(status: number, error: string): HttpResponse {
    if (this.#state.kind === 'receiving') {
      try {
        this.#target.cancel();
      } catch {
        // cancelling a partition that was never written may throw; the old image stays either way
      }
    }
    const response = json(status, { error });
    this.#state = { kind: 'failed', response };
    return response;
  }
}

/**
 * Checks an update request before its body is read: the password (always needed, also on a
 * first run), a Content-Length within bounds. Opens the target only when all is well.
 */
export function startOta(req: Omit<HttpRequest, 'body'>, settings: Settings, open: (byteLength: number) => OtaTarget, throttle?: PasswordThrottle): OtaUpload | HttpResponse {
  if (req.method.toUpperCase() !== 'POST') return json(405, { error: `${req.method} ${OTA_PATH} is not allowed; POST the image` });
  const denied = checkOrigin(req) ?? checkPassword(req, settings.adminPassword, 'firmware updates', throttle);
  if (denied) return denied;
  const length = Number(req.headers['content-length']);
  if (!Number.isInteger(length) || length <= 0) return json(411, { error: 'Content-Length required: the image size' });
  if (length < MIN_IMAGE_BYTES || length > MAX_IMAGE_BYTES) {
    return json(413, { error: `an image of ${length} bytes is outside ${MIN_IMAGE_BYTES}…${MAX_IMAGE_BYTES}; nothing was changed` });
  }
  try {
    return new OtaUpload(open(length), length);
  } catch (e) {
    return json(500, { error: `cannot start the update: ${message(e)}` });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
