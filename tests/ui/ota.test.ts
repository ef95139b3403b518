/**
 * Firmware update over Wi-Fi (`POST /api/system/OTA`) against a fake of Moddable's `ota`
 * module that verifies an image the way ESP-IDF's esp_ota_end does for our builds: the 0xE9
 * magic and the SHA-256 appended over the rest. A bad, short, long or unauthorised upload must
 * leave the running firmware selected.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';
import { MAX_IMAGE_BYTES, MIN_IMAGE_BYTES, OtaUpload, startOta, type OtaTarget } from '../../src/ui/ota.ts';

/** The next app partition: what was written, and whether it became the boot partition. */
class FakeOta implements OtaTarget {
  written: Uint8Array[] = [];
  selected = false;
  cancelled = false;
  constructor(readonly byteLength: number) {}
  write(bytes: ArrayBuffer): void {
    if (this.cancelled) throw new Error('write after cancel');
    this.written.push(new Uint8Array(bytes.slice(0)));
  }
  complete(): void {
    const image = Buffer.concat(this.written);
    if (image.length !== this.byteLength) throw new Error(`image is ${image.length} bytes, ${this.byteLength} announced`);
    if (image[0] !== 0xe9) throw new Error('invalid magic byte');
    const body = image.subarray(0, image.length - 32);
    if (!createHash('sha256').update(body).digest().equals(image.subarray(image.length - 32))) throw new Error('image hash does not match (ESP_ERR_OTA_VALIDATE_FAILED)');
    this.selected = true;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

function image(bytes = 200_000): Uint8Array {
  const body = new Uint8Array(bytes - 32);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  body[0] = 0xe9;
  return Uint8Array.from([...body, ...createHash('sha256').update(body).digest()]);
}

const settings: Settings = { ...DEFAULT_SETTINGS, adminPassword: 'admin-pass-1' };
const request = (length: number, headers: Record<string, string> = { authorization: 'Bearer admin-pass-1' }) => ({
  method: 'POST', path: '/api/system/OTA', headers: { 'content-length': String(length), ...headers },
});

/** Starts an upload and feeds `bytes` in 4 KiB fragments, as the http Server hands them over. */
function upload(bytes: Uint8Array, announced = bytes.length, s = settings) {
  let target: FakeOta | undefined;
  const u = startOta(request(announced), s, (n) => (target = new FakeOta(n)));
  if (!(u instanceof OtaUpload)) return { response: u, target };
  for (let at = 0; at < bytes.length; at += 4096) {
    const piece = bytes.slice(at, at + 4096);
    u.write(piece.buffer);
  }
  return { response: u.finish(), target, upload: u };
}

describe('firmware update over Wi-Fi', () => {
  it('a whole, valid image is written, verified and selected', () => {
    const img = image();
    const { response, target, upload: u } = upload(img);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ updated: true, bytes: img.length, restarting: true });
    expect(target!.selected).toBe(true);
    expect(u!.succeeded).toBe(true);
  });

  it('a damaged image is refused by the partition check; the old firmware stays', () => {
    const img = image();
    img[100_000] = img[100_000]! ^ 1;
    const { response, target } = upload(img);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toMatch(/the image was refused: image hash does not match.*nothing was changed/);
    expect(target!.selected).toBe(false);
  });

  it('a truncated upload is cancelled, never completed', () => {
    const img = image();
    const { response, target } = upload(img.slice(0, 150_000), img.length);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toBe(`upload truncated: 150000 of ${img.length} bytes; nothing was changed`);
    expect(target!.cancelled).toBe(true);
    expect(target!.selected).toBe(false);
  });

  it('a connection lost mid-upload cancels it', () => {
    let target: FakeOta | undefined;
    const u = startOta(request(200_000), settings, (n) => (target = new FakeOta(n))) as OtaUpload;
    u.write(image().slice(0, 8192).buffer);
    u.abort();
    expect(target!.cancelled).toBe(true);
    expect(u.finish().status).toBe(400);
    expect(target!.selected).toBe(false);
  });

  it('more bytes than announced are refused', () => {
    const img = image();
    const { response, target } = upload(img, img.length - 100);
    expect(response.status).toBe(400);
    expect(response.body).toContain(`more bytes than Content-Length ${img.length - 100}`);
    expect(target!.cancelled).toBe(true);
  });

  it('a file that is not an ESP32 image is refused at its first byte', () => {
    const img = image();
    img[0] = 0x7f; // an ELF, say
    const { response, target } = upload(img);
    expect(response.body).toContain('not an ESP32 firmware image (first byte 0x7f, expected 0xe9)');
    expect(target!.written).toEqual([]);
    expect(target!.cancelled).toBe(true);
  });

  it.each([
    ['no password', request(200_000, {}), 401, /password required/],
    ['a wrong password', request(200_000, { authorization: 'Bearer guess-guess' }), 403, /wrong password/],
    ['no Content-Length', { method: 'POST', path: '/api/system/OTA', headers: { authorization: 'Bearer admin-pass-1' } }, 411, /Content-Length required/],
    ['an image too small', request(MIN_IMAGE_BYTES - 1), 413, /outside/],
    ['an image too large', request(MAX_IMAGE_BYTES + 1), 413, /outside/],
    ['a GET', { ...request(200_000), method: 'GET' }, 405, /POST the image/],
  ])('%s: refused before the partition is opened', (_name, req, status, message) => {
    let opened = false;
    const r = startOta(req, settings, (n) => { opened = true; return new FakeOta(n); });
    expect(r).not.toBeInstanceOf(OtaUpload);
    expect((r as { status: number }).status).toBe(status);
    expect((r as { body: string }).body).toMatch(message);
    expect(opened).toBe(false);
  });

  it('with no admin password set, updates are disabled (even on a first run)', () => {
    const r = startOta(request(200_000, {}), DEFAULT_SETTINGS, (n) => new FakeOta(n));
    expect((r as { status: number; body: string }).status).toBe(403);
    expect((r as { body: string }).body).toContain('firmware updates are disabled: no admin password is set');
  });
});
