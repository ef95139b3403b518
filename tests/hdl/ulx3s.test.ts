/**
 * The ULX3S top goes through synthesis as `kilohash synth --device ecp5-12f` builds it (yosys
 * only: place and route needs nextpnr-ecp5 from PyPI, tests/cli/synth.test.ts), and its pins
 * agree with the .lpf and with the firmware's ULX3S section of manifest.json.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARDS, DEVICE_DEFAULTS } from '../../host/rtl/synth/devices.ts';
import { HDL_DIR } from '../../host/rtl/simulators.ts';
import { count, yosysInput } from '../../host/rtl/synth/synthesize.ts';
import { fileText, yosys } from '../../host/rtl/synth/toolchain.ts';

const lpf = readFileSync(join(HDL_DIR, BOARDS.ulx3s.constraints!), 'utf8');
const sites = Object.fromEntries([...lpf.matchAll(/^LOCATE COMP "([^"]+)" SITE "(\w+)";/gm)].map((m) => [m[1]!, m[2]!]));

/**
 * ULX3S v3.0.x: which ECP5 ball each ESP32 GPIO the FPGA can reach is wired to (the board's
 * schematic; the SD card lines double as ESP32 GPIOs).
 */
const ESP32_GPIO_SITE: Record<number, string> = { 0: 'L2', 2: 'J3', 4: 'H1', 5: 'N4', 12: 'K1', 13: 'K2', 14: 'H2', 15: 'J1', 16: 'L1', 17: 'N3' };
/** Sampled by the ESP32 at reset (GPIO0: download mode, GPIO2, GPIO5 and GPIO15: boot options, GPIO12: flash voltage). */
const STRAPPING = [0, 2, 5, 12, 15];

describe('the ULX3S top', () => {
  it('synthesises with its PLL and the pipelined core; every port has a pin in the .lpf', async () => {
    const files = await yosysInput({
      board: 'ulx3s', device: 'ecp5-12f', core: { kind: 'pipeline', pipeline: { loop: 32, rounds: 1 } }, clockMhz: 40,
      extra: ['tee -o ports.txt select -list kh_top_ulx3s/i:* kh_top_ulx3s/o:*'],
    });
    expect(String(files['synth.ys'])).toMatch(/chparam -set ENGINES 1 -set LOOP 32 -set ROUNDS 1 -set CLOCK_HZ 40000000 kh_top_ulx3s/);
    const r = await yosys(['-q', '-s', 'synth.ys'], files);
    const stat = fileText(r.files, 'stat.txt');
    expect(count(stat, /EHXPLLL/)).toBe(1);
    // Two stages a hash: hundreds of flip-flops each, and their carry chains.
    expect(count(stat, /TRELLIS_FF/)).toBeGreaterThan(2000);
    const ports = fileText(r.files, 'ports.txt').split('\n').map((l) => l.split('/')[1]).filter(Boolean)
      .map((p) => p!.replace(/^led$/, 'led[0]'));
    for (const port of ports) expect(sites, `${port} has no LOCATE in the .lpf`).toHaveProperty(port!);
    // The 25 MHz oscillator, the USB serial adapter and the ESP32's UART, EN and GPIO0.
    expect(sites).toMatchObject({ clk_25mhz: 'G2', ftdi_txd: 'M1', ftdi_rxd: 'L4', ftdi_ndtr: 'N1', ftdi_nrts: 'M3', wifi_txd: 'K4', wifi_rxd: 'K3', wifi_en: 'F1', wifi_gpio0: 'L2' });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => sites[`led[${i}]`])).toEqual(['B2', 'C2', 'C1', 'D2', 'D1', 'E2', 'E1', 'H3']);
  }, 600_000);

  it('uses the ESP32 GPIOs the firmware drives, none of them a strapping pin', () => {
    const manifest = JSON.parse(readFileSync(join(HDL_DIR, '..', 'manifest.json'), 'utf8'));
    const spi = manifest.platforms.esp32.config.kilohash.spi as Record<string, number>;
    const wiring = { sck: 'esp_sck', mosi: 'esp_mosi', miso: 'esp_miso', cs: 'esp_cs_n', ready: 'esp_ready' };
    for (const [signal, port] of Object.entries(wiring)) {
      const gpio = spi[signal]!;
      expect(STRAPPING, `${signal} on GPIO${gpio}`).not.toContain(gpio);
      expect(ESP32_GPIO_SITE[gpio], `${signal}: GPIO${gpio} does not reach the FPGA`).toBeDefined();
      expect(sites[port], `${signal}: the .lpf puts ${port} on another ball than GPIO${gpio}'s`).toBe(ESP32_GPIO_SITE[gpio]);
    }
    // SCK at most the core clock / 8 (docs/core-protocol.md §1) at the slowest default clock a ULX3S part gets.
    const slowest = Math.min(...BOARDS.ulx3s.devices.map((d) => DEVICE_DEFAULTS[d].clockMhz));
    expect(spi.hz! * 8).toBeLessThanOrEqual(slowest * 1e6);
  });
});
