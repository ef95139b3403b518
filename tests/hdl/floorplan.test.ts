/**
 * The pipeline's floorplan (host/rtl/synth/floorplan.ts), on a made-up netlist shaped as
 * synth_ecp5 leaves the core's (stages as shared modules): the stages are laid out in the
 * order a block passes them, each next to the one before, each with a module of its own, and
 * their pins sit in their own blocks, on slices the grid has, never two on one flip-flop. The
 * 85F's grid is checked against nextpnr-ecp5 itself where it is installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floorplanStages, FLOORPLANS, sliceRows, type Floorplan, type PlacedStage } from '../../host/rtl/synth/floorplan.ts';
import type { JsonCell, JsonNetlist } from '../../host/rtl/synth/json-netlist.ts';
import { ecp5Tools, ecp5ToolsInstalled } from '../../host/rtl/synth/ecp5-tools.ts';
import { NEXTPNR_DEVICE } from '../../host/rtl/synth/synthesize.ts';

const PATH = 'core.core.pipe.engine';

/** A stage module: st (a..g) and hkw registers, or with `folded` a..g constants; and a LUT. */
function stageModule(folded: boolean): JsonNetlist['modules'][string] {
  const cells: Record<string, JsonCell> = {};
  const netnames: JsonNetlist['modules'][string]['netnames'] = {};
  let bit = 10;
  const register = (name: string, width: number) => {
    const bits: (number | string)[] = [];
    for (let i = 0; i < width; i++) {
      if (folded && name === 'st') {
        bits.push('0');
        continue;
      }
      const q = bit++;
      bits.push(q);
      cells[`${name}_ff${i}`] = { type: 'TRELLIS_FF', parameters: {}, attributes: {}, connections: { CLK: [2], DI: [bit++], Q: [q] } };
    }
    netnames[name] = { bits };
  };
  register('st', 224);
  register('hkw', 32);
  // Neither a net that is not the state nor a LUT is pinned.
  netnames['round[0].step_round.hkw'] = { bits: [bit++] };
  cells.lut = { type: 'LUT4', parameters: {}, attributes: {}, connections: { Z: [bit++] } };
  return { cells, netnames };
}

/**
 * A netlist as synth_ecp5 leaves it: `stages` stage instances in each of hash1 and hash2 in
 * the top, sharing two stage modules (as stages that differ only in constants do); the
 * `folded` stages of hash2 are of a third, whose a..g are constants.
 */
function netlist(stages: number, folded: number[] = []): JsonNetlist {
  const cells: Record<string, JsonCell> = {};
  for (const pipe of ['hash2', 'hash1']) {
    for (let s = 0; s < stages; s++) {
      const type = pipe === 'hash2' && folded.includes(s) ? 'stage_folded' : `stage_${s % 2}`;
      cells[`${PATH}.${pipe}.stage[${s}].${s === 0 ? 'first' : 'next'}.body`] = { type, parameters: {}, attributes: {}, connections: {} };
    }
  }
  cells['core.core.queue.lut'] = { type: 'LUT4', parameters: {}, attributes: {}, connections: {} };
  return { modules: { top: { cells, netnames: {} }, stage_0: stageModule(false), stage_1: stageModule(false), stage_folded: stageModule(true) } };
}

const PLAN: Floorplan = { grid: { cols: [2, 41], rows: [2, 40], gaps: [10, 22, 34] }, strips: 4 };

/** Every pinned cell, as `<stage instance>.<cell>`, and its BEL. */
function pins(n: JsonNetlist): Map<string, string> {
  const out = new Map<string, string>();
  for (const [instance, stage] of Object.entries(n.modules.top!.cells)) {
    for (const [name, cell] of Object.entries(n.modules[stage.type]?.cells ?? {})) if (cell.attributes.BEL) out.set(`${instance}.${name}`, cell.attributes.BEL);
  }
  return out;
}

describe('the pipeline floorplan', () => {
  it('lays the stages out in order, hash 1 then hash 2, each beside the one before', () => {
    const placed = floorplanStages(netlist(6), 'top', PLAN);
    expect(placed.map((s) => `${s.pipe.slice(PATH.length + 1)}:${s.index}`)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => `hash1:${i}`), ...Array.from({ length: 6 }, (_, i) => `hash2:${i}`),
    ]);
    const touches = (p: PlacedStage, q: PlacedStage) => {
      const rows = sliceRows(PLAN.grid);
      const sideBySide = p.rows[0] === q.rows[0] && (p.cols[1] + 1 === q.cols[0] || q.cols[1] + 1 === p.cols[0]);
      const stacked = p.cols[0] === q.cols[0] && (rows.indexOf(p.rows[1]) + 1 === rows.indexOf(q.rows[0]) || rows.indexOf(q.rows[1]) + 1 === rows.indexOf(p.rows[0]));
      return sideBySide || stacked;
    };
    for (let i = 1; i < placed.length; i++) expect(touches(placed[i - 1]!, placed[i]!), `stage ${i - 1} → ${i}`).toBe(true);
    // Three stages a strip: the first strip goes down, the second up.
    expect(placed[0]!.rows[0]).toBe(2);
    expect(placed[2]!.rows[1]).toBe(40);
    expect(placed[3]!.rows[1]).toBe(40);
    expect(placed[5]!.rows[0]).toBe(2);
  });

  it('pins two bits of every state word inside its own block, on slices the grid has, one cell a flip-flop', () => {
    const n = netlist(6);
    const placed = floorplanStages(n, 'top', PLAN);
    const bels = pins(n);
    expect(placed.every((s) => s.anchors === 16)).toBe(true);
    expect(bels.size).toBe(12 * 16);
    expect(new Set(bels.values()).size).toBe(bels.size);
    for (const [cell, bel] of bels) {
      const m = /^X(\d+)\/Y(\d+)\/SLICE[ABCD]\.FF[01]$/.exec(bel);
      expect(m, bel).not.toBeNull();
      const [x, y] = [Number(m![1]), Number(m![2])];
      expect(sliceRows(PLAN.grid)).toContain(y);
      const stage = placed.find((s) => cell.startsWith(`${s.pipe}.stage[${s.index}].`))!;
      expect(x).toBeGreaterThanOrEqual(stage.cols[0]);
      expect(x).toBeLessThanOrEqual(stage.cols[1]);
      expect(y).toBeGreaterThanOrEqual(stage.rows[0]);
      expect(y).toBeLessThanOrEqual(stage.rows[1]);
      expect(cell).toMatch(/\.(st|hkw)_ff(4|20|36|52|68|84|100|116|132|148|164|180|196|212)$/);
    }
  });

  it('gives every stage a module of its own, so a pin holds one stage only, and drops the shared ones', () => {
    const n = netlist(6, [2]);
    floorplanStages(n, 'top', PLAN);
    const types = Object.entries(n.modules.top!.cells).filter(([name]) => name.includes('.stage[')).map(([, c]) => c.type);
    expect(new Set(types).size).toBe(12);
    for (const t of types) expect(n.modules[t]).toBeDefined();
    expect(Object.keys(n.modules)).not.toContain('stage_0');
    expect(Object.keys(n.modules)).not.toContain('stage_folded');
    expect(n.modules.top!.cells['core.core.queue.lut']!.type).toBe('LUT4');
  });

  it('pins what a stage has: a stage whose a..g are constants gets its h + K + W pins only', () => {
    const placed = floorplanStages(netlist(4, [0]), 'top', PLAN);
    const hash2 = placed.filter((s) => s.pipe.endsWith('hash2'));
    expect(hash2.map((s) => s.anchors)).toEqual([2, 16, 16, 16]);
  });

  it('refuses a netlist without stages, or without its top', () => {
    expect(() => floorplanStages({ modules: { top: { cells: {}, netnames: {} } } }, 'top', PLAN)).toThrow(/no pipeline stages/);
    expect(() => floorplanStages(netlist(1), 'kh_top', PLAN)).toThrow(/no module kh_top/);
    const orphan = netlist(1);
    delete orphan.modules.stage_0;
    expect(() => floorplanStages(orphan, 'top', PLAN)).toThrow(/stage_0, which the netlist does not define/);
  });
});

const why = ecp5ToolsInstalled() ? undefined : 'nextpnr-ecp5 is not installed in .kilohash-cache/tools; any `kilohash synth --device ecp5-…` installs it';
describe.skipIf(why !== undefined)(`the 85F's slice grid against nextpnr-ecp5${why ? ` (skipped: ${why})` : ''}`, () => {
  /** Whether nextpnr-ecp5 takes a flip-flop pinned at (x, y) on the 85F. */
  async function hasSlice(x: number, y: number): Promise<boolean> {
    const tools = await ecp5Tools(() => undefined);
    const work = mkdtempSync(join(tmpdir(), 'kh-grid-'));
    try {
      const design: JsonNetlist & Record<string, unknown> = {
        modules: {
          top: {
            attributes: { top: '1' },
            ports: { clk: { direction: 'input', bits: [2] }, d: { direction: 'input', bits: [3] }, q: { direction: 'output', bits: [4] } },
            cells: { ff: { type: 'TRELLIS_FF', parameters: {}, attributes: { BEL: `X${x}/Y${y}/SLICEA.FF0` }, port_directions: { CLK: 'input', DI: 'input', Q: 'output' }, connections: { CLK: [2], DI: [3], Q: [4] } } },
            netnames: {},
          },
        },
      };
      writeFileSync(join(work, 'design.json'), JSON.stringify(design));
      return await tools.run('nextpnr_ecp5', [...NEXTPNR_DEVICE['ecp5-85f'], '--json', 'design.json', '--lpf-allow-unconstrained', '--out-of-context', '--no-route'], work).then(() => true, () => false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  it('has slices in the grid\'s first and last rows and columns and beside every gap, and none in the gaps or outside', async () => {
    const { grid } = FLOORPLANS['ecp5-85f']!;
    const x = 10;
    const y = sliceRows(grid)[5]!;
    const inside = [[grid.cols[0], y], [grid.cols[1], y], [x, grid.rows[0]], [x, grid.rows[1]], ...grid.gaps.flatMap((g) => [[x, g - 1], [x, g + 1]])];
    const outside = [[grid.cols[0] - 1, y], [grid.cols[1] + 1, y], [x, grid.rows[0] - 1], [x, grid.rows[1] + 1], ...grid.gaps.map((g) => [x, g])];
    for (const [cx, cy] of inside) expect(await hasSlice(cx!, cy!), `X${cx}/Y${cy}`).toBe(true);
    for (const [cx, cy] of outside) expect(await hasSlice(cx!, cy!), `X${cx}/Y${cy}`).toBe(false);
  }, 600_000);
});
