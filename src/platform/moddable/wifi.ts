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

/** ESP-IDF's wifi_auth_mode_t numbers, which AxeOS shows; Moddable names the mode instead. */
const AUTH_MODES = ['none', 'wep', 'wpa_psk', 'wpa2_psk', 'wpa_wpa2_psk', 'wpa2_enterprise', 'wpa3_psk', 'wpa2_wpa3_psk', 'wapi_psk', 'owe'];

export interface ScannedNetwork {
  ssid: string;
  rssi: number;
  authmode: number;
}

/**
 * The networks in range from the last scan; asking starts a new scan when the last is older
 * than `maxAgeMs`, for the next ask (AxeOS polls while its dialog is open). At most `limit`
 * networks, strongest first, one entry per name.
 */
export class WifiScanner {
  private networks: ScannedNetwork[] = [];
  private scanning = false;
  private at = -Infinity;

  constructor(private readonly clock: Clock, private readonly maxAgeMs = 10_000, private readonly limit = 20) {}

  list(): ScannedNetwork[] {
    const now = this.clock.now();
    if (!this.scanning && now - this.at > this.maxAgeMs) {
      this.scanning = true;
      const found: ScannedNetwork[] = [];
      try {
        WiFi.scan({}, (item) => {
          if (item === null) {
            this.scanning = false;
            this.at = this.clock.now();
            this.networks = found.sort((a, b) => b.rssi - a.rssi).slice(0, this.limit);
            return;
          }
          if (item.ssid === '' || found.some((n) => n.ssid === item.ssid && n.rssi >= item.rssi)) return;
          const i = found.findIndex((n) => n.ssid === item.ssid);
          const mode = AUTH_MODES.indexOf(item.authentication);
          const entry = { ssid: item.ssid, rssi: item.rssi, authmode: mode < 0 ? 0 : mode };
          if (i >= 0) found[i] = entry;
          else found.push(entry);
        });
      } catch {
        this.scanning = false; // the radio is busy (joining): the next ask tries again
      }
    }
    return this.networks;
  }
}
