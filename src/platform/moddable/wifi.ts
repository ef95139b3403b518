/**
 * Wi-Fi on Moddable's `wifi` module: join the configured network, or open the setup access
 * point. A network that does not give an address in time is reported, not retried forever, so
 * the boot can fall back to the access point instead of looping.
 */
import WiFi from 'wifi';
import type { Clock } from '../interfaces.ts';

export function joinNetwork(ssid: string, password: string, clock: Clock, timeoutMs = 30_000): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let monitor: WiFi | undefined;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      if (!ok) {
        monitor?.close();
        WiFi.disconnect();
      }
      resolve(ok);
    };
    const timer = clock.setTimeout(() => finish(false), timeoutMs);
    WiFi.mode = WiFi.Mode.station;
    monitor = new WiFi(password ? { ssid, password } : { ssid }, (message) => {
      if (message === WiFi.gotIP) finish(true);
    });
  });
}

/** The setup network: `kilohash-XXXX`, WPA2 when a password is given. */
export function openAccessPoint(ssid: string, password: string | undefined): void {
  WiFi.mode = WiFi.Mode.accessPoint;
  WiFi.accessPoint(password ? { ssid, password } : { ssid });
}
