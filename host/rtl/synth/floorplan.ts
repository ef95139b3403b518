/**
 * A floorplan for the pipelined core on a big ECP5 part. At `LOOP` 1 the core is a chain of 63
 * stages (hash 1's, then hash 2's), each handing about 770 wires to the next. nextpnr's
 * analytic placer does not keep such a chain in order across the 85F: it left window words
 * running 70–80 rows between neighbouring stages, and control paths crossing the part. So
 * the stages are laid out here, in order, as a snake of vertical strips: down the first
 * strip, up the second, and so on, each stage a block of its strip. A few flip-flops of each
 * stage's state are pinned (nextpnr's `BEL` attribute) at points spread over its block; the
 * placer pulls the rest of the stage to them and places everything else as before. On the
 * 85F build (seed 1, 50 MHz) this took nextpnr's estimate after placement from 36.62 MHz to
 * 48.34 MHz in 8 strips and 55.24 MHz in 4 (docs/core-design.md): wider stages hand their
 * wires on over a longer border.
 *
 * A stage module is shared by the stages that differ only in their constants, and a pin on
 * one of its cells would land on every one of them: each stage gets its own copy of its
 * module first (nextpnr flattens the hierarchy as it reads the netlist anyway). Copying is
 * seconds; a yosys `flatten` of the 85F build took longer than its synthesis.
 */
import type { CoreBuild, Device } from './devices.ts';
import type { JsonCell, JsonNetlist } from './json-netlist.ts';

/** Where an ECP5 part's slices are: the tile columns and rows that hold them. */
export interface SliceGrid {
  cols: readonly [first: number, last: number];
  rows: readonly [first: number, last: number];
  /** Rows between the first and the last without slices (block RAM and DSP rows). */
  gaps: readonly number[];
}

export interface Floorplan {
  grid: SliceGrid;
  /** Vertical strips the chain of stages snakes through. */
  strips: number;
}

/**
 * The parts whose default build is floorplanned. The 85F's grid was read from nextpnr-ecp5
 * 0.11.1 itself (a flip-flop pinned in every row and column; tests/hdl/floorplan.test.ts
 * checks it where nextpnr-ecp5 is installed).
 */
export const FLOORPLANS: Partial<Record<Device, Floorplan>> = {
  'ecp5-85f': { grid: { cols: [2, 124], rows: [2, 93], gaps: [10, 22, 34, 46, 58, 70, 82] }, strips: 4 },
};

/**
 * The floorplan a build gets: its part's, for the pipeline at `LOOP` 1 (a chain of stages
 * each holding one round pair); none for lanes or a looped pipeline.
 */
export function floorplanFor(device: Device, core: CoreBuild): Floorplan | undefined {
  return core.kind === 'pipeline' && core.pipeline.loop === 1 ? FLOORPLANS[device] : undefined;
}

/** Where one stage went. */
export interface PlacedStage {
  /** The pipeline's instance path (…hash1, …hash2) and the stage's index in it. */
  pipe: string;
  index: number;
  /** Its block: tile columns and rows, inclusive. */
  cols: [number, number];
  rows: [number, number];
  /** Flip-flops pinned in it. */
  anchors: number;
}

/** A stage's instance in the top module, as yosys names it: its pipeline's path and its index. */
const STAGE_CELL = /^(.*)\.stage\[(\d+)\]\.(?:first|next)\.body$/;

/** Bits of each state word pinned: two, half a word apart, so a word's adders lie between them. */
const ANCHOR_BITS = [4, 20];

/** Anchor points in a block: a GRID × GRID lattice. */
const GRID = 4;

/** The rows of `grid` that hold slices, in order. */
export function sliceRows(grid: SliceGrid): number[] {
  const rows: number[] = [];
  for (let y = grid.rows[0]; y <= grid.rows[1]; y++) if (!grid.gaps.includes(y)) rows.push(y);
  return rows;
}

/**
 * Lays out the stages of `top` in `netlist` (synth_ecp5's, stages kept as modules) as `plan`
 * says: each stage's instance gets a module of its own, with `BEL` set on its pinned
 * flip-flops. The pipelines go in name order (hash1 before hash2: the order a block passes
 * them).
 */
export function floorplanStages(netlist: JsonNetlist, top: string, plan: Floorplan): PlacedStage[] {
  const module = netlist.modules[top];
  if (!module) throw new Error(`floorplan: no module ${top} in the netlist`);
  const stages: { pipe: string; index: number; cell: JsonCell }[] = [];
  for (const [name, cell] of Object.entries(module.cells)) {
    const m = STAGE_CELL.exec(name);
    if (!m) continue;
    if (!netlist.modules[cell.type]) throw new Error(`floorplan: stage ${name} is a ${cell.type}, which the netlist does not define`);
    stages.push({ pipe: m[1]!, index: Number(m[2]), cell });
  }
  if (stages.length === 0) throw new Error(`floorplan: no pipeline stages in ${top}`);
  stages.sort((p, q) => (p.pipe === q.pipe ? p.index - q.index : p.pipe < q.pipe ? -1 : 1));

  const rows = sliceRows(plan.grid);
  const [c0, c1] = plan.grid.cols;
  const width = c1 - c0 + 1;
  const perStrip = Math.ceil(stages.length / plan.strips);
  const taken = new Set<string>();
  const shared = new Set(stages.map((s) => s.cell.type));
  const placed = stages.map((stage, i): PlacedStage => {
    const own = structuredClone(netlist.modules[stage.cell.type]!);
    const type = `${stage.cell.type}$floorplan${i}`;
    netlist.modules[type] = own;
    stage.cell.type = type;

    const strip = Math.floor(i / perStrip);
    const along = i % perStrip;
    const slot = strip % 2 === 0 ? along : perStrip - 1 - along;
    const cols: [number, number] = [c0 + Math.floor((strip * width) / plan.strips), c0 + Math.floor(((strip + 1) * width) / plan.strips) - 1];
    const blockRows = rows.slice(Math.floor((slot * rows.length) / perStrip), Math.floor(((slot + 1) * rows.length) / perStrip));

    // The flip-flop that drives each bit.
    const flop = new Map<number, string>();
    for (const [name, cell] of Object.entries(own.cells)) {
      const q = cell.connections.Q?.[0];
      if (cell.type === 'TRELLIS_FF' && typeof q === 'number') flop.set(q, name);
    }
    // a, b, …, g, then h + K + W. st is {a, …, g}; yosys lists a net's bits least significant first.
    const st = own.netnames.st?.bits ?? [];
    const hkw = own.netnames.hkw?.bits ?? [];
    const words = [...Array.from({ length: 7 }, (_, w) => st.slice(32 * (6 - w), 32 * (7 - w))), hkw];
    const cells: string[] = [];
    for (const word of words) {
      for (const b of ANCHOR_BITS) {
        const bit = word[b];
        const cell = typeof bit === 'number' ? flop.get(bit) : undefined;
        if (cell) cells.push(cell);
      }
    }
    // The lattice keeps a column clear at each side of the block.
    const inner = cols[1] - cols[0] - 1;
    let anchors = 0;
    cells.forEach((cell, j) => {
      const gx = j % GRID;
      const gy = Math.floor(j / GRID) % GRID;
      const x = cols[0] + 1 + Math.floor(((gx + 0.5) * inner) / GRID);
      const y = blockRows[Math.floor(((gy + 0.5) * blockRows.length) / GRID)]!;
      // Eight flip-flops a tile: the first one free.
      let bel = '';
      for (let k = 0; k < 8 && (bel === '' || taken.has(bel)); k++) bel = `X${x}/Y${y}/SLICE${'ABCD'[k >> 1]}.FF${k & 1}`;
      if (taken.has(bel)) return;
      taken.add(bel);
      own.cells[cell]!.attributes.BEL = bel;
      anchors++;
    });
    return { pipe: stage.pipe, index: stage.index, cols, rows: [blockRows[0]!, blockRows[blockRows.length - 1]!], anchors };
  });
  // The shared definitions have no instance left.
  const used = new Set(Object.values(netlist.modules).flatMap((m) => Object.values(m.cells).map((c) => c.type)));
  for (const type of shared) if (!used.has(type)) delete netlist.modules[type];
  return placed;
}

/** What a floorplanned build reports: strips, stages laid out, flip-flops pinned. */
export interface FloorplanSummary {
  strips: number;
  stages: number;
  pinned: number;
}

/** The progress line a floorplanned build prints. */
export function describeFloorplan(f: FloorplanSummary): string {
  return `floorplan: ${f.stages} stages in ${f.strips} strips, ${f.pinned} flip-flops pinned`;
}

/** synth_ecp5's JSON netlist (`design`) with the stages of `top` laid out as `plan` says (floorplanStages). */
export function floorplanDesign(design: string, top: string, plan: Floorplan): { design: Uint8Array; summary: FloorplanSummary } {
  const netlist = JSON.parse(design) as JsonNetlist;
  const stages = floorplanStages(netlist, top, plan);
  return {
    design: new TextEncoder().encode(JSON.stringify(netlist)),
    summary: { strips: plan.strips, stages: stages.length, pinned: stages.reduce((n, st) => n + st.anchors, 0) },
  };
}
