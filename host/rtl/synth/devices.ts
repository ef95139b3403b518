/**
 * The devices and boards `kilohash synth` builds for, and the core each gets by default. Kept
 * apart from the synthesis flow so the command line can name them without loading the
 * toolchains.
 */
import { describePipeline, type Pipeline } from '../pipeline.ts';

export type Family = 'ice40' | 'ecp5';
export type Device = 'up5k' | 'hx8k' | 'ecp5-12f' | 'ecp5-25f' | 'ecp5-45f' | 'ecp5-85f';
export const DEVICES: readonly Device[] = ['up5k', 'hx8k', 'ecp5-12f', 'ecp5-25f', 'ecp5-45f', 'ecp5-85f'];

export const DEVICE_FAMILY: Record<Device, Family> = {
  up5k: 'ice40', hx8k: 'ice40', 'ecp5-12f': 'ecp5', 'ecp5-25f': 'ecp5', 'ecp5-45f': 'ecp5', 'ecp5-85f': 'ecp5',
};

/** The iterative lanes (iCE40) or the pipelined engine (ECP5). */
export type CoreBuild = { kind: 'lanes'; engines: number } | { kind: 'pipeline'; pipeline: Pipeline };

/** "3 engine(s)" or "pipelined core (a nonce every clock, …)": how reports and errors name a core. */
export function describeCore(core: CoreBuild): string {
  return core.kind === 'lanes' ? `${core.engines} engine(s)` : `pipelined core (${describePipeline(core.pipeline)})`;
}

export interface DeviceDefaults {
  /**
   * The core when --engines / --loop / --stages are not given: the largest that fits the
   * device with room for the router and meets timing at `clockMhz`, as measured
   * (docs/core-design.md: the UP5K's lanes, and "The ECP5 table").
   */
  core: CoreBuild;
  /** The hashing clock the PLL is set to when --clock-mhz is not given. */
  clockMhz: number;
}

export const DEVICE_DEFAULTS: Record<Device, DeviceDefaults> = {
  up5k: { core: { kind: 'lanes', engines: 3 }, clockMhz: 24 },
  hx8k: { core: { kind: 'lanes', engines: 4 }, clockMhz: 24 },
  'ecp5-12f': { core: { kind: 'pipeline', pipeline: { loop: 32, rounds: 1 } }, clockMhz: 70 },
  'ecp5-25f': { core: { kind: 'pipeline', pipeline: { loop: 16, rounds: 1 } }, clockMhz: 70 },
  'ecp5-45f': { core: { kind: 'pipeline', pipeline: { loop: 8, rounds: 1 } }, clockMhz: 70 },
  'ecp5-85f': { core: { kind: 'pipeline', pipeline: { loop: 1, rounds: 2 } }, clockMhz: 50 },
};

export type BoardName = 'icev-wireless' | 'icebreaker' | 'hx8k' | 'ulx3s';
export const BOARD_NAMES: readonly BoardName[] = ['icev-wireless', 'icebreaker', 'hx8k', 'ulx3s'];

export interface Board {
  name: BoardName;
  /** The parts the board is sold with; the first is the default. */
  devices: readonly Device[];
  /** The top module, and the files (relative to hdl/) beyond hdl/*.v that hold it. */
  top: string;
  files: string[];
  /** Pin constraints (.pcf for iCE40, .lpf for ECP5, relative to hdl/); null: pins left to the placer. */
  constraints: string | null;
  /** How the host reaches the core: SPI from an ESP32, or a UART (USB serial). */
  link: 'spi' | 'uart';
  /** The top's PLL: from the iCE40 boards' 12 MHz (kh_pll.vh), from the ULX3S's 25 MHz (parameters), or none. */
  pll: 'ice40-12mhz' | 'ecp5-25mhz' | null;
  describe: string;
}

export const BOARDS: Record<BoardName, Board> = {
  'icev-wireless': {
    name: 'icev-wireless', devices: ['up5k'], top: 'kh_top_icev', files: ['boards/kh_ice40_clock.v', 'boards/icev_wireless/kh_top_icev.v'],
    constraints: 'boards/icev_wireless/icev_wireless.pcf', link: 'spi', pll: 'ice40-12mhz',
    describe: 'ICE-V Wireless: ESP32-C3 + iCE40UP5K, SPI',
  },
  icebreaker: {
    name: 'icebreaker', devices: ['up5k'], top: 'kh_top_icebreaker', files: ['boards/kh_ice40_clock.v', 'boards/icebreaker/kh_top_icebreaker.v'],
    constraints: 'boards/icebreaker/icebreaker.pcf', link: 'uart', pll: 'ice40-12mhz',
    describe: 'iCEBreaker: iCE40UP5K + FT2232H, UART over USB',
  },
  hx8k: {
    name: 'hx8k', devices: ['hx8k'], top: 'kh_top', files: [], constraints: null, link: 'spi', pll: null,
    describe: 'iCE40HX8K, generic SPI top, pins unconstrained',
  },
  ulx3s: {
    name: 'ulx3s', devices: ['ecp5-85f', 'ecp5-45f', 'ecp5-25f', 'ecp5-12f'], top: 'kh_top_ulx3s', files: ['boards/ulx3s/kh_top_ulx3s.v'],
    constraints: 'boards/ulx3s/ulx3s.lpf', link: 'spi', pll: 'ecp5-25mhz',
    describe: 'ULX3S: ESP32 + ECP5, SPI',
  },
};

/** The board a bare --device builds. */
export const DEVICE_BOARD: Record<Device, BoardName> = {
  up5k: 'icev-wireless', hx8k: 'hx8k', 'ecp5-12f': 'ulx3s', 'ecp5-25f': 'ulx3s', 'ecp5-45f': 'ulx3s', 'ecp5-85f': 'ulx3s',
};
