/**
 * `kilohash mine` — runs the firmware's miner on this computer against a real pool, with the
 * model core or the RTL in simulation hashing. One status object per interval and one per
 * event with --json; a status API and dashboard with --http.
 */
import { type Command, Option } from 'commander';
import { type ApiAccess, DEFAULT_SETTINGS, applySettings, type Settings } from '../../../src/config/settings.ts';
import type { MinerEvent } from '../../../src/miner/miner.ts';
import type { MinerStatus } from '../../../src/miner/status.ts';
import { parsePoolUrl } from '../../../src/stratum/pool-url.ts';
import { CORE_SPEC_HELP, type CoreSpec } from '../../core/open-core.ts';
import { MiningSession } from '../../miner/session.ts';
import { stderrLog } from '../../platform/node.ts';
import { defaultStatePath, fileStorage } from '../../platform/file-storage.ts';
import { UsageError } from '../errors.ts';
import { API_ACCESS_HELP, coreOption, intOption, LOOP_HELP, loopOption, pipelineOf, positiveNumberOption, STAGES_HELP, wwwOption } from '../options.ts';
import { describeEvent, formatHashRate, statusLine } from './miner-format.ts';
import { jsonLine, runUntilStopped } from '../run-until.ts';

interface MineFlags {
  pool: string;
  user: string;
  pass: string;
  backupPool?: string;
  core: CoreSpec;
  engines: number;
  loop?: number;
  stages?: number;
  suggestDifficulty?: number;
  duration?: number;
  /** Stop once this many shares are accepted. */
  shares?: number;
  interval: number;
  json?: boolean;
  http?: number;
  apiPassword?: string;
  apiAccess: ApiAccess;
  www?: string;
  watts: number;
  priceKwh: number;
  coinPrice: number;
  connectTimeout: number;
  state: string | false;
}

export function registerMine(program: Command, print: (s: string) => void): void {
  program
    .command('mine')
    .description('mine against a Stratum v1 pool with the firmware\'s miner on the model, the simulated RTL or a board (--core)')
    .requiredOption('--pool <url>', 'pool URL, e.g. stratum+tcp://solo.ckpool.org:3333')
    .requiredOption('--user <address[.worker]>', 'pool username (on solo pools: your Bitcoin address)')
    .option('--pass <password>', 'pool password', 'x')
    .option('--backup-pool <url>', 'fallback pool (same user and password)')
    .option('--core <core>', CORE_SPEC_HELP, coreOption, { kind: 'model' } as CoreSpec)
    .option('--engines <n>', 'model: worker threads; RTL: engines', intOption(1, 64), 1)
    .option('--loop <n>', LOOP_HELP, loopOption)
    .option('--stages <n>', STAGES_HELP, intOption(1, 64))
    .option('--suggest-difficulty <d>', 'ask the pool for this share difficulty', positiveNumberOption)
    .option('--duration <s>', 'stop after this many seconds', positiveNumberOption)
    .option('--shares <n>', 'stop once this many shares are accepted (--duration still limits the run)', intOption(1, 1_000_000))
    .option('--interval <s>', 'seconds between status reports', positiveNumberOption, 10)
    .option('--json', 'one JSON object per status report and per event')
    .option('--http <port>', 'serve the status API and dashboard on this port (0: any free port)', intOption(0, 65535))
    .option('--api-password <p>', 'password for settings changes over the API (none: changes disabled)')
    .addOption(new Option('--api-access <mode>', API_ACCESS_HELP).choices(['password', 'local-network']).default('password'))
    .option('--www <dir>', 'serve this built web UI (e.g. AxeOS) instead of the kilohash pages', wwwOption)
    .option('--watts <w>', 'board power for the energy figures', positiveNumberOption, DEFAULT_SETTINGS.power)
    .option('--price-kwh <p>', 'electricity price per kWh', Number, DEFAULT_SETTINGS.pricePerKwh)
    .option('--coin-price <p>', 'price of one bitcoin, same currency', Number, DEFAULT_SETTINGS.coinPrice)
    .option('--state <file>', 'where the all-time best difficulty is kept', defaultStatePath())
    .option('--no-state', 'keep nothing between runs')
    .option('--connect-timeout <s>', 'give up if the pool cannot be reached for this long', positiveNumberOption, 30)
    .action(async (flags: MineFlags) => {
      const settings = settingsFromFlags(flags);
      await runMining(settings, flags, print);
    });
}

function settingsFromFlags(f: MineFlags): Settings {
  for (const [flag, url] of [['--pool', f.pool], ['--backup-pool', f.backupPool]] as const) {
    if (url === undefined) continue;
    try {
      parsePoolUrl(url);
    } catch (e) {
      throw new UsageError(`${flag}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const r = applySettings(DEFAULT_SETTINGS, {
    stratumURL: f.pool,
    stratumUser: f.user,
    stratumPassword: f.pass,
    ...(f.backupPool ? { fallbackStratumURL: f.backupPool } : {}),
    suggestDifficulty: f.suggestDifficulty ?? 0,
    power: f.watts,
    pricePerKwh: f.priceKwh,
    coinPrice: f.coinPrice,
    adminPassword: f.apiPassword ?? '',
    apiAccess: f.apiAccess,
  });
  if (!r.ok) throw new UsageError(Object.values(r.errors).join('; '));
  return r.settings;
}

async function runMining(settings: Settings, f: MineFlags, print: (s: string) => void): Promise<void> {
  let fatal: string | undefined;
  let connected = false;
  let lastDisconnect = '';
  const until = runUntilStopped(f.duration);
  let accepted = 0;
  const onEvent = (e: MinerEvent) => {
    if (e.type === 'share' && e.verdict === 'accepted' && f.shares !== undefined && ++accepted >= f.shares) until.stop();
    if (e.type === 'connected') connected = true;
    if (e.type === 'disconnected') lastDisconnect = e.reason;
    if (e.type === 'auth-failed') {
      fatal = `the pool refused worker '${e.user}': ${e.reason}${/address/i.test(e.reason) ? '' : ' (on a solo pool the username must be a valid Bitcoin address)'}`;
      until.stop();
    }
    if (f.json) print(jsonLine({ ...e }));
    else print(describeEvent(e));
  };
  const session = await MiningSession.start({
    settings,
    core: f.core,
    engines: f.engines,
    ...pipelineOf(f),
    httpPort: f.http,
    ...(f.www ? { www: f.www } : {}),
    storage: f.state === false ? undefined : fileStorage(f.state),
    log: stderrLog(f.json ? 'error' : 'warn'),
    onEvent,
  });
  if (session.api && !f.json) print(`status API and dashboard: ${session.api.url}`);
  const report = () => {
    const st: MinerStatus = session.status();
    print(f.json ? jsonLine({ ...st, type: 'status' }) : statusLine(st));
  };
  const interval = setInterval(report, f.interval * 1000);
  const connectTimer = setTimeout(() => {
    if (!connected) {
      fatal = `cannot reach the pool at ${settings.stratumURL}${lastDisconnect ? `: ${lastDisconnect}` : ''}`;
      until.stop();
    }
  }, f.connectTimeout * 1000);
  try {
    await until.done;
  } finally {
    clearInterval(interval);
    clearTimeout(connectTimer);
    until.dispose();
    report();
    await session.stop();
  }
  if (fatal) throw new Error(fatal);
  if (!f.json) print(`stopped; core hashed at ${formatHashRate(session.status().hashRate.counter.m10)} over the last 10 minutes`);
}
