/**
 * The firmware's memory on Moddable's runtime: the lin build with the ESP32-C3's creation
 * sizes and Moddable's instrumentation (`mcconfig -m -i`), run in mcsim against the local
 * pool, sampled once a second from its status API through three phases: steady mining, after a
 * clean job, after the pool asks for a reconnect. XS counts slots of 32 bytes on a 64-bit host
 * and 16 bytes on the ESP32's 32-bit cores, so the slot heap is also given as the ESP32 would
 * hold it; the chunk heap (strings, buffers) is taken as it is, an upper bound.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { DeviceMemory } from '../../src/app/miner-app.ts';
import { DEMO_ADDRESS } from '../cli/commands/pool.ts';
import { buildLin, findSdk, SIM_STORAGE, simApi, startSimulator, waitFor } from '../firmware/moddable-sim.ts';
import { LocalPool } from '../pool/server.ts';

const HOST_SLOT_BYTES = 32;
const ESP32_SLOT_BYTES = 16;

export interface MemoryPhase {
  phase: 'mining' | 'clean job' | 'reconnect';
  samples: number;
  slotHeapBytes: { min: number; max: number };
  chunkHeapBytes: { min: number; max: number };
  stackPeakBytes: number;
  /** The most the ESP32 would hold: slots at 16 bytes plus the chunk heap. */
  esp32LiveBytesMax: number;
}

export type FirmwareMemoryFigure =
  | { skipped: string }
  | { phases: MemoryPhase[]; esp32LiveBytesMax: number; hashRate: number; sharesAccepted: number; creation: string;
      /** A clean notify's arrival to its first work in the core, on the desktop runtime (ms). */
      jobSwitchMs: { last: number | null; mean: number | null } };

type Status = {
  state?: string; memory?: DeviceMemory; shares?: { accepted: number }; hashRate?: { counter: { m1: number } };
  jobSwitch?: { lastMs: number | null; meanMs: number | null };
};

export async function firmwareMemory(secondsPerPhase: number): Promise<FirmwareMemoryFigure> {
  const sdk = findSdk();
  if (!sdk.ok) return { skipped: sdk.reason };
  const library = await buildLin(sdk, true);
  const pool = new LocalPool({ port: 0, address: DEMO_ADDRESS, difficulty: 0.0001, vardiff: false, chain: { difficulty: 1000, targetBlockSeconds: 600, retargetWindow: 10 } });
  const port = await pool.start();
  const saved = existsSync(SIM_STORAGE) ? readFileSync(SIM_STORAGE, 'utf8') : undefined;
  const settings = { ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${port}`, stratumUser: `${DEMO_ADDRESS}.bench`, adminPassword: 'bench-pass-1' };
  writeFileSync(SIM_STORAGE, JSON.stringify({ settings: JSON.stringify(settings) }));
  const sim = startSimulator(sdk, library);
  try {
    const status = async () => (await simApi('/api/status')).body as Status;
    const mining = () => waitFor('the firmware to mine', 60_000, async () => ((await status()).state === 'mining' ? true : undefined));
    await mining();
    const phases: MemoryPhase[] = [];
    const measure = async (phase: MemoryPhase['phase']) => {
      const seen: DeviceMemory[] = [];
      for (let i = 0; i < secondsPerPhase; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const m = (await status()).memory;
        if (m) seen.push(m);
      }
      if (seen.length === 0) throw new Error('the firmware reports no memory figures: not an instrumented build?');
      const slots = seen.map((m) => m.slotHeapBytes);
      const chunks = seen.map((m) => m.chunkHeapBytes);
      phases.push({
        phase,
        samples: seen.length,
        slotHeapBytes: { min: Math.min(...slots), max: Math.max(...slots) },
        chunkHeapBytes: { min: Math.min(...chunks), max: Math.max(...chunks) },
        stackPeakBytes: Math.max(...seen.map((m) => m.stackPeakBytes)),
        esp32LiveBytesMax: Math.max(...seen.map((m) => (m.slotHeapBytes / HOST_SLOT_BYTES) * ESP32_SLOT_BYTES + m.chunkHeapBytes)),
      });
    };
    await measure('mining');
    pool.makeJob(true);
    await measure('clean job');
    pool.reconnectAll(0);
    await new Promise((r) => setTimeout(r, 1000));
    await mining();
    await measure('reconnect');
    const last = await status();
    return {
      phases,
      esp32LiveBytesMax: Math.max(...phases.map((p) => p.esp32LiveBytesMax)),
      hashRate: last.hashRate?.counter.m1 ?? 0,
      sharesAccepted: last.shares?.accepted ?? 0,
      jobSwitchMs: { last: last.jobSwitch?.lastMs ?? null, mean: last.jobSwitch?.meanMs ?? null },
      creation: 'manifest.json creation (the ESP32-C3\'s): stack 512 slots, heap 1536 + 64 slots, chunks 32 + 1 KB, static 64 KB',
    };
  } finally {
    sim.stop();
    await pool.stop();
    if (saved !== undefined) writeFileSync(SIM_STORAGE, saved);
    else rmSync(SIM_STORAGE, { force: true });
  }
}
