/**
 * The serial ports on this computer and what each probably is, from its USB vendor and product
 * ids: the board's console (an ESP32's USB-Serial/JTAG or its USB-UART bridge), an FPGA dev
 * board's UART (FTDI), an Espruino bridge. "Probably": a VID:PID names the USB chip, not the
 * board around it.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SerialPort } from 'serialport';

export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface KnownDevice {
  vendorId: string;
  productId: string;
  /** What a kilohash user most likely has on the other end. */
  probably: string;
}

export const KNOWN_DEVICES: readonly KnownDevice[] = [
  { vendorId: '303a', productId: '1001', probably: 'ESP32-C3/S3 built-in USB-Serial/JTAG: a kilohash board\'s console (ICE-V Wireless)' },
  { vendorId: '10c4', productId: 'ea60', probably: 'Silicon Labs CP210x USB-UART: an ESP32 dev board\'s console' },
  { vendorId: '1a86', productId: '7523', probably: 'WCH CH340 USB-UART: an ESP32 dev board\'s console' },
  { vendorId: '1a86', productId: '55d4', probably: 'WCH CH9102 USB-UART: an ESP32 dev board\'s console' },
  { vendorId: '0403', productId: '6010', probably: 'FTDI FT2232H, two channels: an iCE40 dev board (iCEBreaker, Alchitry Cu, iCE40-HX8K breakout); the second port is the FPGA\'s UART' },
  { vendorId: '0403', productId: '6014', probably: 'FTDI FT232H: an FPGA board\'s programmer / UART' },
  { vendorId: '0403', productId: '6015', probably: 'FTDI FT231X: the ULX3S\'s USB port (the ECP5\'s UART)' },
  { vendorId: '0403', productId: '6001', probably: 'FTDI FT232R USB-UART' },
  { vendorId: '0483', productId: '5740', probably: 'STM32 virtual COM port: an Espruino board (kilohash espruino: the SPI bridge)' },
];

export interface PortRow {
  path: string;
  /** "vvvv:pppp" in lower-case hex, or null for a port that is not USB (a built-in UART, a pty). */
  usb: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  probably: string | null;
}

function hex4(id: string | undefined): string | null {
  if (id === undefined) return null;
  const h = id.trim().toLowerCase().replace(/^0x/, '');
  return /^[0-9a-f]{1,4}$/.test(h) ? h.padStart(4, '0') : null;
}

export function describePort(p: PortInfo): PortRow {
  const vid = hex4(p.vendorId), pid = hex4(p.productId);
  const usb = vid !== null && pid !== null ? `${vid}:${pid}` : null;
  const known = KNOWN_DEVICES.find((d) => `${d.vendorId}:${d.productId}` === usb);
  return { path: p.path, usb, serialNumber: p.serialNumber || null, manufacturer: p.manufacturer || null, probably: known?.probably ?? null };
}

/**
 * serialport's list, which on Linux asks `udevadm`; where udev is absent (containers, minimal
 * systems) the same facts come from sysfs.
 */
export async function systemPorts(): Promise<PortInfo[]> {
  try {
    return await SerialPort.list();
  } catch (e) {
    if (process.platform === 'linux' && /udevadm/.test(String(e))) return sysfsPorts();
    throw new Error(`cannot list serial ports: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** USB serial ports from /sys/class/tty: the tty's USB device holds idVendor, idProduct, serial. */
export function sysfsPorts(root = '/sys/class/tty', dev = '/dev'): PortInfo[] {
  if (!existsSync(root)) return [];
  const out: PortInfo[] = [];
  for (const name of readdirSync(root)) {
    if (!/^tty(ACM|USB)\d+$/.test(name)) continue;
    let usb: string | undefined;
    try {
      // …/usbN/1-2/1-2:1.0/ttyACM0 (or …/ttyUSB0/tty/ttyUSB0): climb to the directory with idVendor.
      for (let d = realpathSync(join(root, name, 'device')); d !== '/'; d = dirname(d)) {
        if (existsSync(join(d, 'idVendor'))) { usb = d; break; }
      }
    } catch {
      // no device link: not a USB tty
    }
    const read = (f: string) => {
      try {
        return usb ? readFileSync(join(usb, f), 'utf8').trim() || undefined : undefined;
      } catch {
        return undefined;
      }
    };
    out.push({ path: join(dev, name), manufacturer: read('manufacturer'), serialNumber: read('serial'), pnpId: undefined, locationId: undefined, vendorId: read('idVendor'), productId: read('idProduct') });
  }
  return out;
}

/** Every port, USB ones first, each described. `list`: the system's by default (tests pass a mock binding's). */
export async function listPorts(list: () => Promise<PortInfo[]> = systemPorts): Promise<PortRow[]> {
  const rows = (await list()).map(describePort);
  return rows.sort((a, b) => Number(b.usb !== null) - Number(a.usb !== null) || a.path.localeCompare(b.path));
}
