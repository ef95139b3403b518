/**
 * The serial CoreLink against what a real port can do wrong, each on a real pseudo-terminal
 * opened by the real serialport package: a port that is not there, a device that never
 * answers, one that answers garbage (a board at another baud rate), one unplugged mid-frame,
 * and a reply that is lost once (the driver's retry carries on, nothing is lost).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoreDriver } from '../../src/core/driver.ts';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { uartAnswer, UartFrameDecoder } from '../../src/core/uart-framing.ts';
import { keepAliveClock } from '../../host/platform/node.ts';
import { openPseudoTerminal, ptyMissing, type PseudoTerminal } from '../../host/serial/pty.ts';
import { SerialCoreLink } from '../../host/serial/serial-link.ts';
import { kilohashAsync } from '../helpers/cli.ts';

const why = ptyMissing();

describe.skipIf(why !== undefined)(`the serial core link on a pseudo-terminal${why ? ` (skipped: ${why})` : ''}`, () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A device on a pty that answers each frame as `answer` says (undefined: not at all). */
  async function device(answer: (frame: Uint8Array, pty: PseudoTerminal) => Uint8Array | undefined): Promise<PseudoTerminal> {
    const pty = await openPseudoTerminal();
    cleanups.push(() => pty.close());
    const decoder = new UartFrameDecoder();
    pty.onData((bytes) => decoder.push(bytes, (f) => {
      const out = answer(f.bytes, pty);
      if (out) pty.write(out);
    }));
    return pty;
  }

  function link(path: string): SerialCoreLink {
    const l = new SerialCoreLink({ port: path, replyTimeoutMs: 300 });
    cleanups.push(() => l.close());
    return l;
  }

  it('names a port that is not there', async () => {
    const d = new CoreDriver({ link: link('/dev/kilohash-no-such-port'), clock: keepAliveClock });
    await expect(d.probe()).rejects.toThrow(/cannot open \/dev\/kilohash-no-such-port: no such port/);
  });

  it('says when nothing answers', async () => {
    const pty = await device(() => undefined);
    const d = new CoreDriver({ link: link(pty.path), clock: keepAliveClock });
    await expect(d.probe()).rejects.toThrow(new RegExp(`no answer from ${pty.path} at 3000000 baud: is the board configured with the kilohash UART core`));
  });

  it('says when the device answers, but not as the core (another baud rate)', async () => {
    // A line at the wrong rate: a byte for each byte, none of them right.
    const pty = await device((f) => f.map((b) => (b * 7 + 3) & 0x7f));
    const d = new CoreDriver({ link: link(pty.path), clock: keepAliveClock });
    await expect(d.probe()).rejects.toThrow(/answers at 3000000 baud, but not as the kilohash UART core \(\d+ bytes, no good reply to 3 frames\): is the bitstream built for this baud rate/);
  });

  it('names the cause when the board goes away in the middle of a frame', async () => {
    const model = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
    cleanups.push(() => model.close());
    let frames = 0;
    const pty = await device((f, p) => {
      if (++frames === 8) { void p.close(); return undefined; }
      model.transfer(f);
      return uartAnswer(f, model.model.answerToLast);
    });
    const d = new CoreDriver({ link: link(pty.path), clock: keepAliveClock });
    await d.probe();
    await expect(d.selfTest(10_000)).rejects.toThrow(new RegExp(`${pty.path}.*(closed|unplugged)`));
  });

  it('recovers from a lost and a short reply: the driver reads again, nothing is lost', async () => {
    const model = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
    cleanups.push(() => model.close());
    let frames = 0;
    const pty = await device((f) => {
      frames++;
      model.transfer(f);
      if (frames === 4) return undefined;                           // lost
      const out = uartAnswer(f, model.model.answerToLast);
      if (frames === 6) return out.subarray(0, out.length - 1);     // a byte short
      return out;
    });
    const l = link(pty.path);
    const d = new CoreDriver({ link: l, clock: keepAliveClock });
    await d.probe();
    expect(await d.selfTest(10_000)).toMatchObject({ ok: true });
    expect(l.badReplies).toBe(2);
  });

  it('kilohash scan --core serial: names a missing port and exits 1', async () => {
    const r = await kilohashAsync(['scan', '--core', 'serial:/dev/kilohash-no-such-port', '--header', '00'.repeat(80), '--count', '16']);
    expect(r.stderr).toMatch(/cannot open \/dev\/kilohash-no-such-port: no such port/);
    expect(r.code).toBe(1);
  });

  it('refuses a baud rate it cannot parse', async () => {
    const r = await kilohashAsync(['scan', '--core', 'serial:/dev/ttyUSB1@fast', '--header', '00'.repeat(80)]);
    expect(r.stderr).toMatch(/the baud rate after @ must be a number/);
    expect(r.code).toBe(2);
  });
});
