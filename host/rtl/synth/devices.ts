/**
 * The devices and boards `kilohash synth` builds for, and how many lanes each gets by default.
 * Kept apart from the synthesis flow so the command line can name them without loading the
 * toolchains.
 */
export type Device = 'up5k' | 'hx8k';
export const DEVICES: readonly Device[] = ['up5k', 'hx8k'];

export type BoardName = 'icev-wireless' | 'icebreaker' | 'hx8k';
export const BOARD_NAMES: readonly BoardName[] = ['icev-wireless', 'icebreaker', 'hx8k'];

export interface Board {
  name: BoardName;
  device: Device;
  /** The top module, and the files (relative to hdl/) beyond hdl/*.v that hold it. */
  top: string;
  files: string[];
  /** Pin constraints (relative to hdl/); null: pins left to the placer (a generic top). */
  pcf: string | null;
  /** How the host reaches the core: SPI from an ESP32, or a UART (USB serial). */
  link: 'spi' | 'uart';
  /** The top instantiates the iCE40 PLL from a 12 MHz oscillator (kh_pll.vh). */
  pll: boolean;
  /**
   * Lanes when --engines is not given: the most that fit the device with room for the router,
   * as measured (docs/core-design.md).
   */
  engines: number;
  describe: string;
}

export const BOARDS: Record<BoardName, Board> = {
  'icev-wireless': {
    name: 'icev-wireless', device: 'up5k', top: 'kh_top_icev', files: ['boards/kh_ice40_clock.v', 'boards/icev_wireless/kh_top_icev.v'],
    pcf: 'boards/icev_wireless/icev_wireless.pcf', link: 'spi', pll: true, engines: 3,
    describe: 'ICE-V Wireless: ESP32-C3 + iCE40UP5K, SPI',
  },
  icebreaker: {
    name: 'icebreaker', device: 'up5k', top: 'kh_top_icebreaker', files: ['boards/kh_ice40_clock.v', 'boards/icebreaker/kh_top_icebreaker.v'],
    pcf: 'boards/icebreaker/icebreaker.pcf', link: 'uart', pll: true, engines: 3,
    describe: 'iCEBreaker: iCE40UP5K + FT2232H, UART over USB',
  },
  hx8k: {
    name: 'hx8k', device: 'hx8k', top: 'kh_top', files: [], pcf: null, link: 'spi', pll: false, engines: 4,
    describe: 'iCE40HX8K, generic SPI top, pins unconstrained',
  },
};

/** The board a bare --device builds. */
export const DEVICE_BOARD: Record<Device, BoardName> = { up5k: 'icev-wireless', hx8k: 'hx8k' };
