/**
 * The console as the device reads it (src/app/console-session.ts): bytes in any split, lines
 * ended as a terminal program or a script ends them, one reply line per command, and a bound
 * on what a line may hold.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleCommands } from '../../src/app/console-commands.ts';
import { parseConsoleLine } from '../../src/app/console-line.ts';
import { ConsoleSession, MAX_CONSOLE_LINE_BYTES } from '../../src/app/console-session.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';
import { encodeUtf8 } from '../../src/stratum/utf8.ts';

function console_() {
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const out: string[] = [];
  const commands = new ConsoleCommands({ settings: () => settings, saveSettings: (s) => { settings = s; }, restart: () => undefined });
  const session = new ConsoleSession(commands, (t) => out.push(t));
  const replies = () => out.map((l) => {
    expect(l.endsWith('\n')).toBe(true);
    const parsed = parseConsoleLine(l.slice(0, -1));
    if (parsed.kind !== 'reply') throw new Error(`not a reply: ${l}`);
    return parsed.reply;
  });
  return { session, replies, get settings() { return settings; } };
}

const bytes = (s: string) => encodeUtf8(s);

describe('the console session', () => {
  it('ends a line at CR, LF or CRLF, and a CRLF split between reads is one line end', () => {
    const c = console_();
    c.session.push(bytes('kh set hostname cr-only\r'));
    c.session.push(bytes('kh set power 2.5\n'));
    c.session.push(bytes('kh show\r'));
    c.session.push(bytes('\nkh save\r\n'));
    const r = c.replies();
    expect(r).toHaveLength(4); // the LF after "kh show\r" made no second (empty) line, and no reply
    expect(r[0]).toEqual({ ok: true, staged: 'hostname' });
    expect(r[1]).toEqual({ ok: true, staged: 'power' });
    expect(r[2]).toMatchObject({ ok: true, staged: ['hostname', 'power'] });
    expect(r[3]).toMatchObject({ ok: true });
    expect(c.settings).toMatchObject({ hostname: 'cr-only', power: 2.5 });
  });

  it('takes a command byte by byte, a multi-byte character split between reads included', () => {
    const c = console_();
    const line = bytes('kh set wifiSSID Café Ünïcode\r\n');
    for (let i = 0; i < line.length; i++) c.session.push(line.subarray(i, i + 1));
    c.session.push(bytes('kh save\n'));
    expect(c.replies()[0]).toEqual({ ok: true, staged: 'wifiSSID' });
    expect(c.settings.wifiSSID).toBe('Café Ünïcode');
  });

  it('answers nothing to lines that are not commands, nor to empty ones', () => {
    const c = console_();
    c.session.push(bytes('hello\r\n\r\n\n\r\rels -l\n'));
    expect(c.replies()).toEqual([]);
  });

  it('drops an over-long line whole, says so, and reads the next line as usual', () => {
    const c = console_();
    const long = `kh set hostname ${'x'.repeat(MAX_CONSOLE_LINE_BYTES)}`;
    c.session.push(bytes(long.slice(0, 3000)));
    c.session.push(bytes(`${long.slice(3000)}\rkh set power 4\r`));
    const r = c.replies();
    expect(r).toHaveLength(2);
    expect(r[0]).toEqual({ ok: false, error: `line of ${long.length} bytes dropped: a command is at most 1024 characters` });
    expect(r[1]).toEqual({ ok: true, staged: 'power' });
  });

  it('leaves the bytes it was given as they were', () => {
    const c = console_();
    const chunk = bytes('kh show\r\n');
    const copy = chunk.slice();
    c.session.push(chunk);
    expect(chunk).toEqual(copy);
  });
});
