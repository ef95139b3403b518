/**
 * Set-up over the console (src/app/console-commands.ts): the API's own rules and messages,
 * secrets never shown, the admin password once one is set, changes applied whole or not at all.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleCommands } from '../../src/app/console-commands.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.ts';
import { PasswordThrottle } from '../../src/ui/request-guard.ts';

function board(initial: Partial<Settings> = {}) {
  let settings: Settings = { ...DEFAULT_SETTINGS, ...initial };
  let restarts = 0;
  const host = { settings: () => settings, saveSettings: (s: Settings) => { settings = s; }, restart: () => { restarts++; } };
  return { host, get settings() { return settings; }, get restarts() { return restarts; } };
}

describe('console set-up', () => {
  it('stages fields checked by the settings rules, saves them all at once, restarts', () => {
    const b = board();
    const c = new ConsoleCommands(b.host);
    expect(c.handle('hello')).toBeNull(); // not a command: no reply
    expect(c.handle('kh set wifiSSID My Home Net')).toEqual({ ok: true, staged: 'wifiSSID' });
    expect(c.handle('kh set wifiPassword secret pass')).toEqual({ ok: true, staged: 'wifiPassword' });
    expect(c.handle('kh set power 3.5')).toEqual({ ok: true, staged: 'power' });
    const bad = c.handle('kh set power lots');
    expect(bad).toMatchObject({ ok: false, fields: { power: expect.stringMatching(/^power /) } });
    expect(c.handle('kh set speed 9')).toMatchObject({ ok: false, error: "'speed' is not a setting" });
    expect(b.settings.wifiSSID).toBe(''); // nothing applied before save
    const saved = c.handle('kh save');
    expect(saved).toMatchObject({ ok: true, settings: { wifiSSID: 'My Home Net', wifiPassword: true, power: 3.5 } });
    expect(b.settings).toMatchObject({ wifiSSID: 'My Home Net', wifiPassword: 'secret pass', power: 3.5 });
    expect(JSON.stringify(c.handle('kh show'))).not.toMatch(/secret pass/);
    expect(c.handle('kh save')).toMatchObject({ ok: false, error: expect.stringMatching(/nothing staged/) });
    expect(c.handle('kh restart')).toMatchObject({ ok: true });
    expect(b.restarts).toBe(1);
    expect(c.handle('kh launch')).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command 'launch'/) });
    expect(c.handle(`kh set hostname ${'x'.repeat(2000)}`)).toMatchObject({ ok: false, error: expect.stringMatching(/over 1024/) });
  });

  it('asks for the admin password once one is set, and slows a guesser', () => {
    const b = board({ adminPassword: 'hunter2' });
    let now = 0;
    const c = new ConsoleCommands(b.host, new PasswordThrottle(() => now));
    expect(c.handle('kh show')).toMatchObject({ ok: true, settings: { adminPassword: true } });
    expect(c.handle('kh set power 4')).toMatchObject({ ok: false, error: expect.stringMatching(/kh auth/) });
    expect(c.handle('kh save')).toMatchObject({ ok: false, error: expect.stringMatching(/kh auth/) });
    expect(c.handle('kh restart')).toMatchObject({ ok: false });
    expect(b.restarts).toBe(0);
    expect(c.handle('kh auth wrong')).toEqual({ ok: false, error: 'wrong password' });
    expect(c.handle('kh auth hunter2')).toMatchObject({ ok: false, error: expect.stringMatching(/try again in 1 s/) });
    now += 1000;
    expect(c.handle('kh auth hunter2')).toMatchObject({ ok: true });
    expect(c.handle('kh set power 4')).toEqual({ ok: true, staged: 'power' });
    expect(c.handle('kh save')).toMatchObject({ ok: true });
    expect(b.settings.power).toBe(4);
  });
});
