/**
 * `kilohash pool` — runs the local Stratum pool: for a classroom (watch difficulty adjust as
 * blocks are found) and for testing miners. Binds to 127.0.0.1 unless told otherwise.
 */
import type { Command } from 'commander';
import { LocalPool, type PoolEvent } from '../../pool/server.ts';
import { UsageError } from '../errors.ts';
import { decodeAddress } from '../../pool/address.ts';
import { hexWordOption, intOption, positiveNumberOption, versionRuleOption } from '../options.ts';
import { DEFAULT_ENERGY } from '../../../src/miner/economics.ts';
import { addLessonOptions, lessonSettings, startPage } from './lesson-options.ts';

/** A regtest address nobody holds keys for: the default payout of a teaching chain. */
export const DEMO_ADDRESS = 'bcrt1qqurswpc8qurswpc8qurswpc8qurswpc8dxm0gk';

export function describePoolEvent(e: PoolEvent): string {
  switch (e.event) {
    case 'listening':
      return `pool listening on stratum+tcp://${e.host}:${e.port}`;
    case 'connect':
      return `miner #${e.client} connected from ${e.remote}`;
    case 'disconnect':
      return `miner #${e.client} disconnected`;
    case 'subscribe':
      return `miner #${e.client} subscribed (${e.agent || 'no agent'}), extranonce1 ${e.extranonce1}`;
    case 'authorize':
      return e.ok ? `miner #${e.client} authorized as ${e.worker}` : `miner #${e.client} refused: ${e.reason}`;
    case 'difficulty':
      return `miner #${e.client} share difficulty → ${e.difficulty.toPrecision(4)}`;
    case 'job':
      return `job ${e.jobId} for height ${e.height}${e.clean ? ' (clean)' : ''}, network difficulty ${e.networkDifficulty.toPrecision(4)}`;
    case 'share':
      return `share from ${e.worker}: ${e.accepted ? 'accepted' : `rejected (${e.reason})`}, difficulty ${e.shareDifficulty.toPrecision(4)} / ${e.difficulty.toPrecision(4)}`;
    case 'block':
      return `BLOCK ${e.height} found by ${e.finder}: ${e.hash}`;
    case 'retarget':
      return `retarget at height ${e.height}: ${e.actualSeconds.toFixed(0)} s for ${e.targetSeconds.toFixed(0)} s expected, difficulty ${e.from.toPrecision(4)} → ${e.to.toPrecision(4)}`;
    case 'protocol-error':
      return `miner #${e.client} protocol error: ${e.reason}`;
  }
}

export function registerPool(program: Command, print: (s: string) => void): void {
  const cmd = program
    .command('pool')
    .description('run the local Stratum v1 pool with a simulated, retargeting chain')
    .option('--port <port>', 'TCP port', intOption(0, 65535), 3333)
    .option('--host <host>', 'address to bind (127.0.0.1 keeps it on this machine)', '127.0.0.1')
    .option('--difficulty <d>', 'initial share difficulty (fractional allowed)', positiveNumberOption, 0.001)
    .option('--address <addr>', 'address the coinbase pays (any network)', DEMO_ADDRESS)
    .option('--vardiff <seconds>', 'vardiff: aim for one share per this many seconds (0: off)', Number, 10)
    .option('--chain-difficulty <d>', 'network difficulty of the simulated chain', positiveNumberOption, 0.05)
    .option('--block-time <s>', 'target block time of the simulated chain, seconds', positiveNumberOption, 60)
    .option('--retarget-window <n>', 'blocks between difficulty adjustments (small windows overshoot: see docs/classroom.md)', intOption(1, 2016), 8)
    .option('--extranonce1-size <n>', 'extranonce1 bytes per miner', intOption(0, 16), 4)
    .option('--extranonce2-size <n>', 'extranonce2 bytes the miner chooses', intOption(0, 16), 4)
    .option('--version-mask <hex>', 'version-rolling mask offered (00000000: off)', hexWordOption, 0x1fffe000)
    .option('--version-rule <rule>', "how a submitted version field is rebuilt: 'xor' (job ^ bits, as public-pool) or 'or' (job | bits, as ckpool)", versionRuleOption, 'xor')
    .option('--job-version <hex>', 'block version the jobs carry (30000000: a deployment signalling on bit 28, as regtest)', hexWordOption, 0x20000000)
    .option('--auth <mode>', "'address': usernames must be Bitcoin addresses (as solo pools); 'any'", 'address')
    .option('--json', 'log every event as one JSON line');
  addLessonOptions(cmd, 210_000, "what one of the chain's coins is worth, in the electricity price's currency (default: a bitcoin's)")
    .action(async (opts) => {
      if (opts.auth !== 'address' && opts.auth !== 'any') throw new UsageError(`--auth must be 'address' or 'any', got '${opts.auth}'`);
      if (!decodeAddress(opts.address)) throw new UsageError(`--address: not a Bitcoin address: '${opts.address}'`);
      if (!(opts.vardiff >= 0)) throw new UsageError('--vardiff must be 0 or more seconds');
      const lesson = lessonSettings(opts, DEFAULT_ENERGY.coinPrice);
      const pool = new LocalPool({
        host: opts.host,
        port: opts.port,
        address: opts.address,
        difficulty: opts.difficulty,
        vardiff: opts.vardiff > 0 ? { targetSeconds: opts.vardiff, windowSeconds: opts.vardiff * 3, minDifficulty: 1e-8, maxDifficulty: 1e12 } : false,
        chain: { difficulty: opts.chainDifficulty, targetBlockSeconds: opts.blockTime, retargetWindow: opts.retargetWindow, halvingInterval: opts.halvingInterval },
        extranonce1Size: opts.extranonce1Size,
        extranonce2Size: opts.extranonce2Size,
        versionMask: opts.versionMask,
        jobVersion: opts.jobVersion,
        quirks: { versionRule: opts.versionRule },
        auth: opts.auth,
      });
      pool.on('event', (e: PoolEvent) => print(opts.json ? JSON.stringify({ time: new Date().toISOString(), ...e }) : describePoolEvent(e)));
      // The page first: the room must hear every miner that connects.
      const page = await startPage(pool, opts, cmd.getOptionValueSource('pagePort') === 'default', { bind: opts.host, ...lesson });
      try {
        await pool.start();
      } catch (e) {
        await page.close();
        throw e;
      }
      print(opts.json
        ? JSON.stringify({ time: new Date().toISOString(), event: 'page', url: page.url, controls: lesson.controlPassword !== '' })
        : `pool page: ${page.url}${lesson.controlPassword ? '' : ' (controls off: --control-password turns them on)'}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void Promise.all([pool.stop(), page.close()]).then(() => resolve());
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
