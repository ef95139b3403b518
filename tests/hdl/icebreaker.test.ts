/**
 * The iCEBreaker's top goes through synthesis as `kilohash synth --board icebreaker` builds it
 * (yosys only: place and route of a UP5K image is a benchmark, docs/core-design.md, and CI
 * already places and routes the ICE-V's): the PLL on the oscillator's pad, the UART core, the
 * LEDs, and the baud rate reaching the link.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARDS } from '../../host/rtl/synth/devices.ts';
import { HDL_DIR } from '../../host/rtl/simulators.ts';
import { yosysInput } from '../../host/rtl/synth/synthesize.ts';
import { fileText, yosys } from '../../host/rtl/synth/toolchain.ts';

describe('the iCEBreaker top', () => {
  it('synthesises with its PLL, UART core and LEDs; the pins are the .pcf\'s', async () => {
    const files = await yosysInput({ board: 'icebreaker', device: 'up5k', core: { kind: 'lanes', engines: 1 }, clockMhz: 24, baud: 2_000_000, extra: ['tee -o ports.txt select -list kh_top_icebreaker/i:* kh_top_icebreaker/o:*'] });
    expect(String(files['synth.ys'])).toMatch(/chparam -set ENGINES 1 -set CLOCK_HZ 24000000 -set BAUD 2000000 kh_top_icebreaker/);
    const r = await yosys(['-q', '-s', 'synth.ys'], files);
    const stat = fileText(r.files, 'stat.txt');
    expect(stat).toMatch(/SB_PLL40_PAD\s+1/);
    expect(stat).toMatch(/SB_MAC16\s+4/);
    const ports = fileText(r.files, 'ports.txt').split('\n').map((l) => l.split('/')[1]).filter(Boolean).sort();
    expect(ports).toEqual(['clk_12m', 'led_g_n', 'led_r_n', 'uart_rx', 'uart_tx']);
    const pcf = readFileSync(join(HDL_DIR, BOARDS.icebreaker.constraints!), 'utf8');
    const pins = Object.fromEntries([...pcf.matchAll(/^set_io\s+(\S+)\s+(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    // iCEBreaker v1.0: 12 MHz on 35 (a PLL pad), FT2232H channel B TXD → 6 and RXD ← 9, LEDs 11 and 37.
    expect(pins).toEqual({ clk_12m: 35, uart_rx: 6, uart_tx: 9, led_r_n: 11, led_g_n: 37 });
  }, 300_000);
});
