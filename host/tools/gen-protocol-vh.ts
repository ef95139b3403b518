/**
 * Generates hdl/kh_protocol.vh from src/core/protocol.ts: the register addresses, commands,
 * bit positions, work layout and depths the RTL and its testbench use, so that the protocol's
 * numbers are written once (docs/core-protocol.md specifies them; protocol.ts holds them).
 *
 *   npx tsx host/tools/gen-protocol-vh.ts          (rewrites the file)
 *   npx tsx host/tools/gen-protocol-vh.ts --check  (exit 1 if the file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CAPS_BIT,
  CMD_READ,
  CMD_WRITE,
  CONTROL_BIT,
  DATA_CRC_BYTES,
  ERR_BIT,
  FIFO_DEPTH,
  HEADER_BYTES,
  MAGIC,
  MAX_FRAME_WORDS,
  PROTOCOL_VERSION,
  QUEUE_DEPTH,
  REG,
  RESULT_BIT,
  RESULT_WORDS,
  STATUS_BIT,
  UART,
  WORK_WORD,
  WORK_WORDS,
} from '../../src/core/protocol.ts';

const OUT = fileURLToPath(new URL('../../hdl/kh_protocol.vh', import.meta.url));

const hex = (bits: number, v: number): string => `${bits}'h${(v >>> 0).toString(16).padStart(Math.ceil(bits / 4), '0')}`;

function group(title: string, lines: string[]): string {
  return [`// ${title}`, ...lines, ''].join('\n');
}

function integers(prefix: string, values: Record<string, number>): string[] {
  return Object.entries(values).map(([name, v]) => `localparam integer ${prefix}${name} = ${v};`);
}

export function generate(): string {
  if (2 ** Math.round(Math.log2(FIFO_DEPTH)) !== FIFO_DEPTH) throw new Error('FIFO_DEPTH must be a power of two');
  return [
    '// Generated from src/core/protocol.ts by host/tools/gen-protocol-vh.ts: do not edit.',
    '// docs/core-protocol.md specifies these numbers; `include this file inside a module.',
    '',
    group('Identity', [
      `localparam [31:0] KH_MAGIC = ${hex(32, MAGIC)};`,
      `localparam [31:0] KH_VERSION = ${hex(32, PROTOCOL_VERSION)};`,
    ]),
    group('Frame commands and sizes (bytes, words)', [
      `localparam [7:0] KH_CMD_READ = ${hex(8, CMD_READ)};`,
      `localparam [7:0] KH_CMD_WRITE = ${hex(8, CMD_WRITE)};`,
      ...integers('KH_', { HEADER_BYTES, DATA_CRC_BYTES, MAX_FRAME_WORDS, WORK_WORDS, RESULT_WORDS }),
    ]),
    group('Register addresses', Object.entries(REG).map(([name, a]) => `localparam [5:0] KH_A_${name} = ${hex(6, a)};`)),
    group('CONTROL bits', integers('KH_CTRL_', CONTROL_BIT)),
    group('STATUS fields (lowest bit of each)', integers('KH_ST_', STATUS_BIT)),
    group('Error flags (bit in STATUS\'s error byte)', integers('KH_E_', ERR_BIT)),
    group('CAPS fields (lowest bit of each)', integers('KH_CAPS_', CAPS_BIT)),
    group('RESULT word 0 fields (lowest bit of each)', integers('KH_R_', RESULT_BIT)),
    group('WORK write: first word of each field', integers('KH_W_', WORK_WORD)),
    group('UART link framing bytes', Object.entries(UART).map(([name, v]) => `localparam [7:0] KH_UART_${name} = ${hex(8, v)};`)),
    group('Depths', integers('KH_', { QUEUE_DEPTH, FIFO_DEPTH, FIFO_DEPTH_LOG2: Math.log2(FIFO_DEPTH) })),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = generate();
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      process.stderr.write('hdl/kh_protocol.vh is stale: run npx tsx host/tools/gen-protocol-vh.ts\n');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
  }
}
