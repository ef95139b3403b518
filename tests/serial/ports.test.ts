/**
 * `kilohash serial list`: ports described by their USB ids, from serialport's list (here its
 * mock binding) or, where udev is missing, from sysfs (here a made-up tree laid out as Linux
 * lays out a CDC-ACM and an FTDI port).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { describePort, listPorts, sysfsPorts } from '../../host/serial/ports.ts';
import { describeRow } from '../../host/cli/commands/serial.ts';
import { kilohash } from '../helpers/cli.ts';

const info = (path: string, vendorId?: string, productId?: string, serialNumber?: string) =>
  ({ path, vendorId, productId, serialNumber, manufacturer: undefined, pnpId: undefined, locationId: undefined });

describe('serial ports', () => {
  afterEach(() => SerialPortMock.binding.reset());

  it('names the USB chips a kilohash user meets, and says nothing it does not know', () => {
    expect(describePort(info('/dev/ttyACM0', '303A', '1001', 'F4:12:FA:00:11:22'))).toEqual({
      path: '/dev/ttyACM0', usb: '303a:1001', serialNumber: 'F4:12:FA:00:11:22', manufacturer: null, probably: expect.stringMatching(/ESP32-C3.*console/),
    });
    expect(describePort(info('/dev/ttyUSB1', '0x0403', '6010')).probably).toMatch(/FT2232H.*second port is the FPGA's UART/);
    expect(describePort(info('/dev/ttyUSB0', '1234', '5678'))).toMatchObject({ usb: '1234:5678', probably: null });
    expect(describePort(info('/dev/ttyS0'))).toMatchObject({ usb: null, probably: null });
    expect(describeRow(describePort(info('/dev/ttyS0')))).toBe('/dev/ttyS0  (not USB)');
  });

  it("lists through serialport's binding, USB ports first", async () => {
    SerialPortMock.binding.createPort('/dev/ttyS0', {});
    SerialPortMock.binding.createPort('/dev/ttyUSB1', { vendorId: '0403', productId: '6015', manufacturer: 'FTDI' });
    const rows = await listPorts(() => SerialPortMock.list());
    expect(rows.map((r) => [r.path, r.usb])).toEqual([['/dev/ttyUSB1', '0403:6015'], ['/dev/ttyS0', null]]);
    expect(rows[0]!.probably).toMatch(/ULX3S/);
  });

  it('reads sysfs when udev is not there', () => {
    const root = mkdtempSync(join(tmpdir(), 'kh-sysfs-'));
    const usb = join(root, 'devices', 'usb1', '1-2');
    mkdirSync(join(usb, '1-2:1.0', 'tty', 'ttyACM0'), { recursive: true });
    writeFileSync(join(usb, 'idVendor'), '303a\n');
    writeFileSync(join(usb, 'idProduct'), '1001\n');
    writeFileSync(join(usb, 'serial'), 'F4:12:FA:00:11:22\n');
    writeFileSync(join(usb, 'manufacturer'), 'Espressif\n');
    const cls = join(root, 'class', 'tty');
    mkdirSync(join(cls, 'ttyACM0'), { recursive: true });
    mkdirSync(join(cls, 'tty0'), { recursive: true });
    symlinkSync(join(usb, '1-2:1.0'), join(cls, 'ttyACM0', 'device'));
    expect(sysfsPorts(cls, '/dev')).toEqual([
      { path: '/dev/ttyACM0', vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:00:11:22', manufacturer: 'Espressif', pnpId: undefined, locationId: undefined },
    ]);
    expect(sysfsPorts(join(root, 'nothing'))).toEqual([]);
  });

  it('the command prints what this computer has, as text or JSON, and exits 0', () => {
    const text = kilohash(['serial', 'list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^(no serial ports found|\/dev\/)/);
    const json = kilohash(['serial', 'list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
  });
});
