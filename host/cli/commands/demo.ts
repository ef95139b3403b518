/**
 * `kilohash demo` — what `npm start` runs: the local pool with a fast, retargeting chain and
 * its classroom page, the firmware's miner on the model core (paced to the UP5K core's speed)
 * with a live terminal dashboard and the web dashboard, and a room of simulated miners of
 * other speeds and watts. For a classroom: watch shares arrive, blocks get found, and the
 * difficulty adjust to the room's hash rate as miners come and go.
 */
import { type Command, Option } from 'commander';
import { type ApiAccess, DEFAULT_SETTINGS } from '../../../src/config/settings.ts';
import type { MinerEvent } from '../../../src/miner/miner.ts';
import { formatDifficulty, type MinerStatus } from '../../../src/miner/status.ts';
import { LocalPool, type PoolEvent } from '../../pool/server.ts';
import { CORE_SPEC_HELP, type CoreSpec } from '../../core/open-core.ts';
import { MiningSession } from '../../miner/session.ts';
import { DEMO_ADDRESS } from './pool.ts';
import { describeEvent, formatDuration, formatHashRate, formatOdds, statusLine } from './miner-format.ts';
import { API_ACCESS_HELP, coreOption, intOption, LOOP_HELP, loopOption, nonNegativeNumberOption, pipelineOf, positiveNumberOption, STAGES_HELP, wwwOption } from '../options.ts';
import { classroomCoinPrice, MAX_SIMULATED_MINERS, SimulatedRoom, simulatedMinerSpec } from '../../miner/simulated-room.ts';
import { addLessonOptions, type LessonFlags, lessonSettings, startPage } from './lesson-options.ts';
import { jsonLine, runUntilStopped } from '../run-until.ts';

interface DemoFlags extends LessonFlags {
  core: CoreSpec;
  /** Simulated miners besides the demo's own. */
  miners: number;
  /** The demo's own model core hashes at this rate (0: as fast as it can). */
  rate: number;
  engines: number;
  loop?: number;
  stages?: number;
  duration?: number;
  /** Stop once this many shares are accepted. */
  shares?: number;
  http: number;
  www?: string;
  apiAccess: ApiAccess;
  blockTime: number;
  retargetWindow: number;
  chainDifficulty: number;
  json?: boolean;
}

interface ChainView {
  height: number;
  blocks: number;
  ours: number;
  difficulty: number;
  history: Array<{ height: number; difficulty: number }>;
}

/** The UP5K core's speed (docs/core-design.md): what the demo's own simulated board hashes at. */
const UP5K_HASHES_PER_SECOND = 680_000;
/** The demo chain halves its subsidy every this many blocks: about once in a half-hour lesson. */
const DEMO_HALVING_INTERVAL = 90;

export function registerDemo(program: Command, print: (s: string) => void): void {
  const cmd = program
    .command('demo')
    .description('local pool + miner + model core with live dashboards (what npm start runs)')
    .option('--core <core>', CORE_SPEC_HELP, coreOption, { kind: 'model' } as CoreSpec)
    .option('--engines <n>', 'model: worker threads; RTL: engines', intOption(1, 64), 1)
    .option('--loop <n>', LOOP_HELP, loopOption)
    .option('--stages <n>', STAGES_HELP, intOption(1, 64))
    .option('--duration <s>', 'stop after this many seconds', positiveNumberOption)
    .option('--shares <n>', 'stop once this many shares are accepted (--duration still limits the run)', intOption(1, 1_000_000))
    .option('--http <port>', 'web dashboard port (0: any free port)', intOption(0, 65535), 8080)
    .option('--www <dir>', 'serve this built web UI (e.g. AxeOS) instead of the kilohash pages', wwwOption)
    // The demo listens on 127.0.0.1 only: open to the local network means open to this computer.
    .addOption(new Option('--api-access <mode>', API_ACCESS_HELP).choices(['password', 'local-network']).default('local-network'))
    .option('--block-time <s>', 'the simulated chain\'s target block time', positiveNumberOption, 20)
    .option('--retarget-window <n>', 'blocks between difficulty adjustments (small windows overshoot: see docs/classroom.md)', intOption(1, 2016), 8)
    .option('--chain-difficulty <d>', 'starting network difficulty (it retargets to your hash rate)', positiveNumberOption, 0.005)
    .option('--miners <n>', `simulated miners besides the demo's own, each of its own speed and watts (0-${MAX_SIMULATED_MINERS})`, intOption(0, MAX_SIMULATED_MINERS), 3)
    .option('--rate <H/s>', "the demo's own model core hashes at this rate, as a board would (0: as fast as this computer can)", nonNegativeNumberOption, UP5K_HASHES_PER_SECOND)
    .option('--json', 'events and status as JSON lines instead of the live view');
  addLessonOptions(cmd, DEMO_HALVING_INTERVAL, "what one of the chain's coins is worth (default: set so some of the room's miners mine at a loss at --price-kwh)")
    .action(async (f: DemoFlags) => runDemo(f, cmd.getOptionValueSource('pagePort') === 'default', print));
}

async function runDemo(f: DemoFlags, defaultPagePort: boolean, print: (s: string) => void): Promise<void> {
  const paced = f.core.kind === 'model' && f.engines === 1 && f.rate > 0;
  const ownWatts = DEFAULT_SETTINGS.power;
  const room = [{ hashesPerSecond: paced ? f.rate : 1_000_000, watts: ownWatts }, ...Array.from({ length: f.miners }, (_, i) => simulatedMinerSpec(i))];
  const lesson = lessonSettings(f, classroomCoinPrice(room, f.blockTime, 50, f.priceKwh));
  const pool = new LocalPool({
    port: 0,
    address: DEMO_ADDRESS,
    difficulty: 0.0005,
    vardiff: { targetSeconds: 4, windowSeconds: 12, minDifficulty: 1e-8, maxDifficulty: 1e12 },
    chain: { difficulty: f.chainDifficulty, targetBlockSeconds: f.blockTime, retargetWindow: f.retargetWindow, halvingInterval: f.halvingInterval },
    jobIntervalSeconds: 15,
  });
  const ownWorker = `${DEMO_ADDRESS}.demo`;
  const chain: ChainView = { height: 0, blocks: 0, ours: 0, difficulty: f.chainDifficulty, history: [] };
  const log: string[] = [];
  const live = !f.json && process.stdout.isTTY === true;
  const note = (line: string) => {
    if (f.json) return;
    if (live) {
      log.push(`${new Date().toLocaleTimeString()}  ${line}`);
      if (log.length > 8) log.shift();
    } else print(line);
  };
  pool.on('event', (e: PoolEvent) => {
    if (e.event === 'job') { chain.height = e.height; chain.difficulty = e.networkDifficulty; }
    if (e.event === 'block') {
      chain.blocks++;
      if (e.finder === ownWorker) chain.ours++;
      note(`block ${e.height} found by ${e.finder === ownWorker ? 'this miner' : e.finder.split('.').pop()}! hash ${e.hash.slice(0, 24)}…`);
    }
    if (e.event === 'retarget') {
      chain.history.push({ height: e.height, difficulty: e.to });
      chain.difficulty = e.to;
      note(`retarget at height ${e.height}: ${e.actualSeconds.toFixed(0)} s for ${e.targetSeconds.toFixed(0)} s expected → difficulty ${formatDifficulty(e.from)} → ${formatDifficulty(e.to)}`);
    }
    if (f.json && (e.event === 'block' || e.event === 'retarget')) print(jsonLine({ source: 'pool', ...e }));
  });
  const page = await startPage(pool, f, defaultPagePort, lesson);
  let port: number;
  try {
    port = await pool.start();
  } catch (e) {
    await page.close();
    throw e;
  }
  chain.history.push({ height: pool.chain.height, difficulty: f.chainDifficulty });
  let accepted = 0;
  let enough: (() => void) | undefined;
  const onEvent = (e: MinerEvent) => {
    if (e.type === 'share' && e.verdict === 'accepted' && f.shares !== undefined && ++accepted >= f.shares) enough?.();
    if (f.json) print(jsonLine({ ...e }));
    else if (e.type !== 'job' && e.type !== 'job-switch' && !(e.type === 'best' && !e.ever)) note(describeEvent(e));
  };
  const demoSettings = {
    ...DEFAULT_SETTINGS, stratumURL: `stratum+tcp://127.0.0.1:${port}`, stratumUser: ownWorker, stratumPassword: `x,watts=${ownWatts}`, adminPassword: '', apiAccess: f.apiAccess,
  };
  const pace = paced ? { hashesPerSecond: f.rate } : {};
  const pipeline = pipelineOf(f);
  const simulated = new SimulatedRoom({ poolUrl: demoSettings.stratumURL, address: DEMO_ADDRESS });
  page.host.miners = simulated;
  const stopAll = async () => {
    await simulated.stopAll();
    await page.close();
    await pool.stop();
  };
  let session: MiningSession;
  try {
    session = await MiningSession.start({
      settings: demoSettings,
      core: f.core,
      engines: f.engines,
      ...pipeline,
      ...pace,
      httpPort: f.http,
      ...(f.www ? { www: f.www } : {}),
      onEvent,
    }).catch(async (e: unknown) => {
      // The dashboard port is taken: any free one will do.
      if (f.http !== 0 && e instanceof Error && /EADDRINUSE/.test(e.message)) {
        return MiningSession.start({
          settings: demoSettings,
          core: f.core, engines: f.engines, ...pipeline, ...pace, httpPort: 0, ...(f.www ? { www: f.www } : {}), onEvent,
        });
      }
      throw e;
    });
    for (let i = 0; i < f.miners; i++) await simulated.add();
  } catch (e) {
    await stopAll();
    throw e;
  }
  const url = session.api!.url;
  if (!f.json) {
    print(`kilohash demo: local pool on 127.0.0.1:${port}, ${session.core.describe}, ${f.miners} simulated miner${f.miners === 1 ? '' : 's'} beside it\n` +
      `web dashboard: ${url}\npool page:     ${page.url}${lesson.controlPassword ? '' : ' (controls off: --control-password turns them on)'}\nCtrl-C stops everything.`);
  } else print(jsonLine({ type: 'demo', pool: `stratum+tcp://127.0.0.1:${port}`, dashboard: url, page: page.url, miners: f.miners }));

  const until = runUntilStopped(f.duration);
  enough = until.stop;
  if (f.shares !== undefined && accepted >= f.shares) until.stop();
  const draw = () => {
    const st = session.status();
    if (f.json) print(jsonLine({ ...st, type: 'status', chain: { ...chain, history: undefined } }));
    else if (live) process.stdout.write('\x1b[H\x1b[2J' + screen(st, chain, url, page.url, log));
    else print(statusLine(st));
  };
  const timer = setInterval(draw, live ? 1000 : 5000);
  try {
    await until.done;
  } finally {
    clearInterval(timer);
    until.dispose();
    const st = session.status();
    await session.stop();
    await stopAll();
    if (!f.json) {
      if (live) process.stdout.write('\x1b[H\x1b[2J');
      print(`demo stopped after ${formatDuration(st.uptimeSeconds)}: ${st.shares.accepted} shares accepted, ${chain.blocks} block(s) found in the room (${chain.ours} by this miner), best difficulty ${formatDifficulty(st.bestDifficulty.session)}, ${formatHashRate(st.hashRate.counter.m10)}`);
    } else {
      print(jsonLine({ ...st, type: 'summary', chain: { ...chain } }));
    }
  }
}

const BARS = '▁▂▃▄▅▆▇█';
function sparkline(values: number[]): string {
  if (values.length === 0) return '';
  const lo = Math.min(...values), hi = Math.max(...values);
  return values.map((v) => BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * 7) : 3]).join('');
}

function screen(s: MinerStatus, chain: ChainView, url: string, pageUrl: string, log: string[]): string {
  const row = (k: string, v: string) => `  ${k.padEnd(26)}${v}\n`;
  const hist = chain.history.slice(-40);
  return (
    `kilohash demo — ${s.state} — up ${formatDuration(s.uptimeSeconds)} — dashboard ${url} — pool page ${pageUrl}\n\n` +
    row('hash rate (core counter)', `${formatHashRate(s.hashRate.counter.m1)} 1 min · ${formatHashRate(s.hashRate.counter.m10)} 10 min`) +
    row('hash rate (from shares)', `${formatHashRate(s.hashRate.shares.m1)} 1 min · ${formatHashRate(s.hashRate.shares.m10)} 10 min`) +
    row('shares', `${s.shares.accepted} accepted · ${s.shares.rejected} rejected · ${s.shares.stale} stale · difficulty ${formatDifficulty(s.pool.difficulty)}`) +
    row('best share difficulty', `${formatDifficulty(s.bestDifficulty.session)}`) +
    row('hardware errors', `${s.core.hardwareErrors}`) +
    '\n' +
    row('chain height', `${chain.height} · blocks found ${chain.blocks}, by this miner ${chain.ours}`) +
    row('network difficulty', `${formatDifficulty(chain.difficulty)} (the simulated chain: see the pool page)`) +
    row('difficulty over time', `${sparkline(hist.map((h) => h.difficulty))}  (${hist.length} retarget${hist.length === 1 ? '' : 's'})`) +
    row('odds of a block', s.odds ? `${formatOdds(s.odds.perDay)} per day · expected every ${formatDuration(s.odds.expectedSecondsToBlock)}` : '—') +
    row('energy', `${s.energy.watts} W · ${s.energy.costPerDay.toFixed(3)}/day at ${s.energy.pricePerKwh}/kWh (the chain's coin value: see the pool page)`) +
    row('job switch', s.jobSwitch.lastMs === null ? '—' : `${s.jobSwitch.lastMs.toFixed(0)} ms last · ${s.jobSwitch.meanMs!.toFixed(0)} ms mean`) +
    '\n' + log.map((l) => `  ${l}\n`).join('') +
    '\n  Ctrl-C stops.\n'
  );
}
