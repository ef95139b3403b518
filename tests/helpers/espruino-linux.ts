/**
 * Espruino's Linux build as a board for tests: the real interpreter, started with its Telnet
 * console inside a private network namespace (netns-relay.mjs), reachable from the test at
 * tcp://127.0.0.1:<port> and from nowhere else. Its SPI is a stub on Linux, so the bridge's SPI
 * step is replaced by a shim that carries each frame over a second socket to the host's
 * behavioural model of the core: host driver → Espruino → model.
 *
 * Needs ESPRUINO=/path/to/espruino (built with `make BOARD=LINUX`, see docs/espruino.md) and
 * `unshare` with user namespaces.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ModelLink } from '../../src/core/model/model-link.ts';
import { keepAliveClock } from '../../host/platform/node.ts';

const ESPRUINO = process.env.ESPRUINO;

/** Why the Espruino tests cannot run here, or undefined when they can. */
export function espruinoMissing(): string | undefined {
  if (!ESPRUINO) return 'ESPRUINO is not set (build Espruino with `make BOARD=LINUX` and point ESPRUINO at bin/espruino; docs/espruino.md)';
  if (!existsSync(ESPRUINO)) return `ESPRUINO=${ESPRUINO} does not exist`;
  const probe = spawnSync('unshare', ['-rn', 'true']);
  if (probe.status !== 0) return 'unshare -rn (a private network namespace) is not allowed here';
  return undefined;
}

/** The bridge's SPI step replaced by a socket to the model (Espruino code, sent to its REPL). */
const SPI_SHIM = [
  'KH.shimBuf="";KH.shimDone=null;KH.shimLen=0;',
  'KH.shim=require("net").connect({host:"127.0.0.1",port:2324});',
  'KH.shim.on("data",function(d){KH.shimBuf+=d;if(KH.shimDone&&KH.shimBuf.length>=KH.shimLen){',
  'var r=E.toUint8Array(KH.shimBuf.substr(0,KH.shimLen));KH.shimBuf=KH.shimBuf.substr(KH.shimLen);',
  'var f=KH.shimDone;KH.shimDone=null;f(r);}});',
  'KH.spiSetup=function(o){return {bus:"shim",to:"127.0.0.1:2324",cs:o.cs};};',
  'KH.xfer=function(b,done){KH.shimDone=done;KH.shimLen=b.length;KH.shim.write(String.fromCharCode(b.length)+E.toString(b));};',
].join('');

export class EspruinoLinux {
  /** The console as EspruinoTools and the link name it. */
  readonly port: string;
  private constructor(
    /** Frames the model answered (counted behind the bridge). */
    readonly model: { frames: number },
    private readonly cut: { after: number | undefined },
    private readonly relay: ChildProcess,
    private readonly front: net.Server,
    private readonly spiServer: net.Server,
    private readonly dir: string,
    port: number,
  ) {
    this.port = `tcp://127.0.0.1:${port}`;
  }

  static async start(): Promise<EspruinoLinux> {
    const why = espruinoMissing();
    if (why) throw new Error(why);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-espruino-'));
    const consoleSock = path.join(dir, 'console.sock');
    const spiSock = path.join(dir, 'spi.sock');

    const model = new ModelLink({ clock: keepAliveClock, defer: setImmediate });
    const counted = { frames: 0 };
    const spiServer = net.createServer((c) => {
      let buf = Buffer.alloc(0);
      c.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length > 0 && buf.length >= 1 + buf[0]!) {
          const frame = new Uint8Array(buf.subarray(1, 1 + buf[0]!));
          buf = buf.subarray(1 + buf[0]!);
          model.transfer(frame);
          counted.frames++;
          c.write(frame);
        }
      });
      c.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => spiServer.listen(spiSock, resolve));

    const relay = spawn('unshare', ['-rn', process.execPath, new URL('./netns-relay.mjs', import.meta.url).pathname, ESPRUINO!, consoleSock, spiSock], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    relay.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`Espruino did not start in 30 s: ${stderr}`)), 30_000);
      relay.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) { clearTimeout(t); resolve(); } });
      relay.on('exit', (code) => { clearTimeout(t); reject(new Error(`the namespace relay exited (${code}): ${stderr}`)); });
    });

    // EspruinoTools only speaks TCP (or serial), so a loopback port fronts the console socket.
    const cut: { after: number | undefined } = { after: undefined };
    const front = net.createServer((c) => {
      const s = net.connect(consoleSock);
      const end = () => { c.destroy(); s.destroy(); };
      const limit = cut.after;
      let sent = 0;
      c.on('data', (d: Buffer) => {
        if (limit !== undefined && sent + d.length > limit) {
          s.write(d.subarray(0, limit - sent), end);
          return;
        }
        sent += d.length;
        s.write(d);
      });
      s.pipe(c);
      c.on('error', end); s.on('error', end); c.on('close', end); s.on('close', end);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    return new EspruinoLinux(counted, cut, relay, front, spiServer, dir, (front.address() as net.AddressInfo).port);
  }

  /** Each console connection from now on is cut after this many bytes from the host (an
   * unplug mid-upload); undefined stops cutting. */
  cutConnectionsAfter(bytes: number | undefined): void {
    this.cut.after = bytes;
  }

  /** Types `code` into the REPL on a fresh console connection and waits for its prompt. */
  async repl(code: string, timeoutMs = 10_000): Promise<string> {
    const s = net.connect((this.front.address() as net.AddressInfo).port, '127.0.0.1');
    let out = '';
    s.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    await new Promise<void>((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
    const marker = `kh-done-${Date.now()}`;
    s.write(`\n\x10${code}\n\x10print("${marker}")\n`);
    const deadline = Date.now() + timeoutMs;
    while (!out.includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    s.destroy();
    // Give Espruino a moment to notice the disconnect before the next client connects.
    await new Promise((r) => setTimeout(r, 100));
    if (!out.includes(marker)) throw new Error(`the REPL did not finish in ${timeoutMs / 1000} s: ${out.slice(-300)}`);
    return out;
  }

  /** Replaces the uploaded bridge's SPI step with the shim to the model. */
  async installSpiShim(): Promise<void> {
    const out = await this.repl(SPI_SHIM);
    if (/Uncaught|Error/.test(out)) throw new Error(`installing the SPI shim failed: ${out}`);
  }

  async stop(): Promise<void> {
    this.relay.stdin!.end();
    await new Promise<void>((resolve) => {
      if (this.relay.exitCode !== null) return resolve();
      const t = setTimeout(() => { this.relay.kill('SIGKILL'); resolve(); }, 3000);
      this.relay.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.front.close();
    this.spiServer.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
