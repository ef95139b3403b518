// Runs inside a private network namespace (`unshare -rn node netns-relay.mjs …`), so that
// Espruino's Linux build, whose Telnet console listens on port 2323 of every interface, is
// reachable from nowhere but this test. The test talks to it through two Unix sockets, which
// live in the file system and so cross the namespace boundary:
//   <console.sock> → 127.0.0.1:2323 inside (the Espruino console)
//   127.0.0.1:2324 inside → <spi.sock> (the bridge's SPI shim reaching the host's model)
// Prints "ready" once Espruino listens; stops it when stdin closes (the test ended or died).
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const [espruino, consoleSock, spiSock] = process.argv.slice(2);
const up = spawnSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'inherit' });
if (up.status !== 0) { console.error('netns-relay: cannot bring up lo'); process.exit(1); }

// Its "flash" is a file in the working directory: keep it in the test's own folder.
const child = spawn(espruino, ['--telnet'], { stdio: ['pipe', 'ignore', 'inherit'], cwd: path.dirname(consoleSock) });
child.on('exit', (code) => { console.error(`netns-relay: espruino exited (${code})`); process.exit(1); });
const stop = () => { child.removeAllListeners('exit'); child.kill('SIGKILL'); process.exit(0); };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
// Killed outright, the test cannot close our stdin: notice that the parent is gone.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) stop(); }, 500).unref();

function pipeTo(a, connect) {
  const b = connect();
  a.pipe(b).pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

function waitForTelnet(triesLeft) {
  const s = net.connect(2323, '127.0.0.1');
  s.on('connect', () => { s.destroy(); setTimeout(listen, 200); });
  s.on('error', () => {
    if (triesLeft <= 0) { console.error('netns-relay: espruino never listened on 2323'); stop(); }
    setTimeout(() => waitForTelnet(triesLeft - 1), 100);
  });
}

function listen() {
  net.createServer((c) => pipeTo(c, () => net.connect(2323, '127.0.0.1'))).listen(consoleSock, () => {
    net.createServer((c) => pipeTo(c, () => net.connect(spiSock))).listen(2324, '127.0.0.1', () => {
      process.stdout.write('ready\n');
    });
  });
}

waitForTelnet(100);
