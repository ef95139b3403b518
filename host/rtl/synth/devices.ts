/**
 * The devices `kilohash synth` builds for, and how many lanes each gets by default. Kept apart
 * from the synthesis flow so the command line can name them without loading the toolchains.
 */
export type Device = 'up5k' | 'hx8k';

/**
 * Lanes that fit each device with room for the router, as measured (docs/core-design.md):
 * what `kilohash synth` builds when --engines is not given.
 */
export const DEFAULT_ENGINES: Record<Device, number> = { up5k: 3, hx8k: 4 };
