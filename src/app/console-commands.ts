/**
 * Set-up over the serial console: a line protocol the firmware reads on its console, so a
 * board on USB can be configured without hunting for its access point. One command a line,
 * one reply a line (`kilohash reply: {json}`, console-line.ts):
 *
 *   kh show                 the settings, secrets shown only as set or not (as GET /api/system/settings)
 *   kh auth <password>      the admin password, once one is set: needed before any change
 *   kh set <field> <value>  stage a change; checked at once with the API's own rules and messages
 *   kh save                 apply the staged changes, all or none
 *   kh restart              reconnect with the saved settings
 *
 * Physical access is not a free pass once an admin password is set: the same password, and
 * the same delay after a wrong one, as the HTTP API. With none set, the console may configure
 * the board (that is what it is for on a fresh board). Lines not starting with `kh ` are not
 * commands and get no reply.
 */
import { applySettings, DEFAULT_SETTINGS, publicSettings, type Settings } from '../config/settings.ts';
import { type PasswordThrottle, sameSecret } from '../ui/request-guard.ts';

export interface ConsoleHost {
  settings(): Settings;
  saveSettings(next: Settings): void;
  restart(): void;
}

export type ConsoleReply = { ok: true; [k: string]: unknown } | { ok: false; error: string; fields?: Record<string, string> };

/** Longest command line taken: a setting's value is at most a few hundred characters. */
export const MAX_COMMAND_CHARS = 1024;

export class ConsoleCommands {
  private staged: Record<string, unknown> = {};
  private authorized = false;

  constructor(private readonly host: ConsoleHost, private readonly throttle?: PasswordThrottle) {}

  /** The reply to one console line, or null when the line is not a command. */
  handle(line: string): ConsoleReply | null {
    const text = line.replace(/\r$/, '');
    if (!text.startsWith('kh ')) return null;
    if (text.length > MAX_COMMAND_CHARS) return { ok: false, error: `command over ${MAX_COMMAND_CHARS} characters` };
    const [verb = '', ...rest] = text.slice(3).trim().split(' ');
    switch (verb) {
      case 'show':
        return { ok: true, settings: publicSettings(this.host.settings()), staged: Object.keys(this.staged) };
      case 'auth':
        return this.auth(rest.join(' '));
      case 'set':
        return this.guard() ?? this.set(rest[0] ?? '', rest.slice(1).join(' '));
      case 'save':
        return this.guard() ?? this.save();
      case 'restart': {
        const denied = this.guard();
        if (denied) return denied;
        this.host.restart();
        return { ok: true, message: 'restarting mining with the saved settings' };
      }
      default:
        return { ok: false, error: `unknown command '${verb.slice(0, 20)}': show, auth, set, save, restart` };
    }
  }

  private guard(): ConsoleReply | null {
    if (this.host.settings().adminPassword === '' || this.authorized) return null;
    return { ok: false, error: 'an admin password is set: send kh auth <password> first' };
  }

  private auth(given: string): ConsoleReply {
    const wait = this.throttle?.waitMs('console') ?? 0;
    if (wait > 0) return { ok: false, error: `too many wrong passwords; try again in ${Math.ceil(wait / 1000)} s` };
    const password = this.host.settings().adminPassword;
    if (password === '') return { ok: true, message: 'no admin password is set: changes need none' };
    if (!sameSecret(given, password)) {
      this.throttle?.failed('console');
      this.authorized = false;
      return { ok: false, error: 'wrong password' };
    }
    this.throttle?.succeeded('console');
    this.authorized = true;
    return { ok: true, message: 'authorized for this console session' };
  }

  private set(field: string, raw: string): ConsoleReply {
    if (!Object.hasOwn(DEFAULT_SETTINGS, field)) return { ok: false, error: `'${field.slice(0, 40)}' is not a setting`, fields: { [field.slice(0, 40)]: 'is not a setting' } };
    const value = parseValue(DEFAULT_SETTINGS[field as keyof Settings], raw);
    const patch = { ...this.staged, [field]: value };
    const r = applySettings(this.host.settings(), patch);
    if (!r.ok && r.errors[field] !== undefined) return { ok: false, error: r.errors[field]!, fields: { [field]: r.errors[field]! } };
    this.staged = patch;
    return { ok: true, staged: field };
  }

  private save(): ConsoleReply {
    if (Object.keys(this.staged).length === 0) return { ok: false, error: 'nothing staged: kh set <field> <value> first' };
    const r = applySettings(this.host.settings(), this.staged);
    this.staged = {};
    if (!r.ok) return { ok: false, error: 'invalid settings; nothing was changed', fields: r.errors };
    this.host.saveSettings(r.settings);
    return { ok: true, settings: publicSettings(r.settings) };
  }
}

/** A value typed as the setting is: numbers and booleans parsed, text taken as written. */
function parseValue(like: unknown, raw: string): unknown {
  if (typeof like === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (typeof like === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}
