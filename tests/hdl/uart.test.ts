import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestbench, runTestbench, UART_CORE_RTL, type Simulator } from '../../host/rtl/simulators.ts';
import { simulatorsHere } from '../helpers/simulators.ts';

/** The UART core behind its serial line: tb_uart speaks docs/core-protocol.md §9 bit by bit. */
const SOURCES = ['tb/tb_uart.v', ...UART_CORE_RTL, 'kh_top_uart.v'];

// Icarus only: its build takes seconds where Verilator's timing build of this testbench takes a
// minute, and the UART RTL runs under Verilator anyway behind the virtual board (the
// conformance suite's `serial` profile, tests/serial/virtual-board.test.ts).
describe.each(simulatorsHere(['icarus'] as const))('kh_core_uart on its serial line under %s', (sim: Simulator) => {
  beforeAll(() => void buildTestbench(sim, 'tb_uart', SOURCES), 900_000);
  it('escaping, a low stop bit, a bad escape, a split frame, a glitch, ±2 % baud', () => {
    const out = runTestbench(buildTestbench(sim, 'tb_uart', SOURCES), {});
    expect(out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(out).toContain('ALL PASS');
  }, 180_000);
});
