/**
 * Firmware update on the ESP32: Moddable's `ota` module writes the next app partition and
 * `complete()` verifies the image and selects it for the next boot; then the device restarts.
 */
import OTA from 'ota';
import System from 'system';
import Timer from 'timer';
import type { OtaTarget } from '../../ui/ota.ts';

export function openOta(byteLength: number): OtaTarget {
  return new OTA({ byteLength });
}

/** Restarts a second after the update's response went out. */
export function rebootSoon(): void {
  Timer.set(() => System.restart(), 1000);
}
