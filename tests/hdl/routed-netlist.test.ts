/**
 * What the routed ECP5 netlist is given before it is simulated (forPackedCellModels): the
 * facts the fabric knows and nextpnr's netlist does not. The whole flow, place and route
 * included, is tests/hdl/netlist.test.ts (where nextpnr-ecp5 is installed).
 */
import { describe, expect, it } from 'vitest';
import { forPackedCellModels } from '../../host/rtl/synth/routed-netlist.ts';

function comb(bel: string | undefined, connections: Record<string, (number | string)[]>) {
  return { type: 'TRELLIS_COMB', parameters: { INITVAL: '1010101010101010' }, attributes: bel ? { NEXTPNR_BEL: bel } : {}, connections };
}

function netlist(cells: Record<string, unknown>) {
  return { creator: 'nextpnr', modules: { top: { ports: {}, cells, netnames: {} } } } as unknown as Parameters<typeof forPackedCellModels>[0];
}

describe('forPackedCellModels (the routed netlist made ready for hdl/tb/ecp5_packed_cells.v)', () => {
  it("says which half of its slice each LUT cell sits in, from its place", () => {
    const out = forPackedCellModels(netlist({
      lo: comb('X4/Y23/SLICEA.K0', { A: [5], B: [6], C: [7], D: [8], F: [9] }),
      hi: comb('X4/Y23/SLICEA.K1', { A: [5], B: [6], C: [7], D: [8], F: [10], FXA: [11], FXB: [12] }),
    }));
    expect(out.modules.top!.cells.lo!.parameters.IS_Z1).toBe('0');
    expect(out.modules.top!.cells.hi!.parameters.IS_Z1).toBe('1');
  });

  it('ties the LUT inputs the router left unconnected to 1, as the fabric reads them, and leaves the rest', () => {
    const out = forPackedCellModels(netlist({
      carry: comb('X1/Y1/SLICEB.K0', { A: [20], B: [21], C: [], F: [22], FCI: [23], FCO: [24] }),
    }));
    expect(out.modules.top!.cells.carry!.connections).toEqual({ A: [20], B: [21], C: ['1'], D: ['1'], F: [22], FCI: [23], FCO: [24] });
  });

  it('leaves flip-flops as they are, and does not change the netlist it was given', () => {
    const ff = { type: 'TRELLIS_FF', parameters: { SD: '0 ', CEMUX: '1 ' }, attributes: { NEXTPNR_BEL: 'X1/Y1/SLICEA.FF0' }, connections: { CLK: [2], M: [3], Q: [4] } };
    const given = netlist({ ff, lut: comb('X1/Y1/SLICEA.K0', { A: [3], F: [5] }) });
    const before = JSON.stringify(given);
    const out = forPackedCellModels(given);
    expect(out.modules.top!.cells.ff).toEqual(ff);
    expect(JSON.stringify(given)).toBe(before);
  });

  it('refuses, by name, a cell the models do not cover, and a LUT cell with no slice half', () => {
    expect(() => forPackedCellModels(netlist({ pll: { type: 'EHXPLLL', parameters: {}, attributes: {}, connections: {} } })))
      .toThrow(/has a EHXPLLL \(top\.pll\), which hdl\/tb\/ecp5_packed_cells\.v does not model/);
    expect(() => forPackedCellModels(netlist({ lost: comb(undefined, { A: [1], F: [2] }) })))
      .toThrow(/lost is not placed in a slice's K0 or K1 \(NEXTPNR_BEL missing\)/);
  });
});
