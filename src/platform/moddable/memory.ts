/**
 * What the XS machine uses, from Moddable's instrumentation (instrumented builds: `mcconfig -d`
 * or `-i`; on others every figure is absent): the slot and chunk heaps now, the stack's peak.
 */
import Instrumentation from 'instrumentation';
import type { DeviceMemory } from '../../app/miner-app.ts';

function read(name: Parameters<typeof Instrumentation.map>[0]): number | undefined {
  const index = Instrumentation.map(name);
  return index === undefined ? undefined : Instrumentation.get(index);
}

export function deviceMemory(): DeviceMemory | undefined {
  const slotHeap = read('XS Slot Heap Used');
  if (slotHeap === undefined) return undefined;
  return {
    slotHeapBytes: slotHeap,
    chunkHeapBytes: read('XS Chunk Heap Used') ?? 0,
    stackPeakBytes: read('XS Stack Used') ?? 0,
    keysUsed: read('XS Keys Used') ?? 0,
    garbageCollections: read('XS Garbage Collection Count') ?? 0,
    systemFreeBytes: read('System Free Memory') ?? null,
  };
}
