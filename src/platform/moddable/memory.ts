/**
 * What the XS machine holds, from Moddable's instrumentation (instrumented builds: `mcconfig -d`
 * or `-i`; on others every figure is absent): the live slot and chunk heaps — garbage is
 * collected first, so the figures are what the miner keeps, not what it has yet to free — and
 * the stack's peak over the last instrumentation second.
 */
import Debug from 'debug';
import Instrumentation from 'instrumentation';
import type { DeviceMemory } from '../../app/miner-app.ts';

function read(name: Parameters<typeof Instrumentation.map>[0]): number | undefined {
  const index = Instrumentation.map(name);
  return index === undefined ? undefined : Instrumentation.get(index);
}

export function deviceMemory(): DeviceMemory | undefined {
  if (read('XS Slot Heap Used') === undefined) return undefined;
  Debug.gc();
  return {
    slotHeapBytes: read('XS Slot Heap Used') ?? 0,
    chunkHeapBytes: read('XS Chunk Heap Used') ?? 0,
    stackPeakBytes: read('XS Stack Used') ?? 0,
    keysUsed: read('XS Keys Used') ?? 0,
    garbageCollections: read('XS Garbage Collection Count') ?? 0,
    systemFreeBytes: read('System Free Memory') ?? null,
  };
}

/** The system's free memory (instrumented builds), read without collecting garbage first. */
export function systemFreeBytes(): number | undefined {
  return read('System Free Memory');
}
