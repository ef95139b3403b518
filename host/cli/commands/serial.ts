/**
 * `kilohash serial` — the board from the desk, over a serial port. `list`: the ports and what
 * each probably is.
 */
import type { Command } from 'commander';
import { listPorts, type PortRow } from '../../serial/ports.ts';

export function describeRow(r: PortRow): string {
  const facts = [r.usb ?? 'not USB', r.serialNumber ? `serial ${r.serialNumber}` : null, r.manufacturer].filter(Boolean).join(', ');
  return `${r.path}  (${facts})${r.probably ? `\n    probably ${r.probably}` : ''}`;
}

export function registerSerial(program: Command, print: (s: string) => void): void {
  const serial = program.command('serial').description("the board's serial ports: list them");
  serial
    .command('list')
    .description('serial ports with their USB VID:PID, serial number and what each probably is')
    .option('--json', 'one JSON array')
    .action(async (o: { json?: boolean }) => {
      const rows = await listPorts();
      if (o.json) return print(JSON.stringify(rows));
      if (rows.length === 0) return print('no serial ports found (a board on USB shows up here; on Linux as /dev/ttyACM* or /dev/ttyUSB*)');
      for (const r of rows) print(describeRow(r));
    });
}
