/**
 * `kilohash job` — explains one Stratum job byte by byte: the coinbase the miner builds, the
 * merkle root, the 80-byte header, the midstate the core receives, and (given a nonce) the
 * hash and its difficulty. For checking a pool's job or a miner's share by hand.
 */
import type { Command } from 'commander';
import { parseNotifyParams } from '../../../src/stratum/notify.ts';
import {
  bytesToHex,
  describeValue,
  hexToBytes,
  toDisplayHex,
  u32ToHex,
} from '../../../src/work/bytes.ts';
import { InputError } from '../../../src/work/errors.ts';
import { buildHeader, jobWork } from '../../../src/work/job.ts';
import { NonceHasher } from '../../../src/work/nonce-hasher.ts';
import { headerWork, wordsToHex } from '../../../src/work/header-work.ts';
import {
  difficultyToTarget,
  hashMeetsTarget,
  hashToDifficulty,
  nbitsToDifficulty,
  nbitsToTarget,
  targetToHex,
} from '../../../src/work/target.ts';
import { BIP320_MASK, rebuildVersion, type VersionRule } from '../../../src/work/version-rolling.ts';
import { hexWordOption, intOption, positiveNumberOption, readArgument, u32Option, versionRuleOption } from '../options.ts';

export interface JobInput {
  /** The raw mining.notify line (a JSON-RPC object) or just its params array. */
  notify: string;
  extranonce1: string;
  extranonce2: string;
  extranonce2Size?: number;
  /** The version field exactly as sent as the 6th mining.submit parameter. */
  versionBits?: number;
  versionMask?: number;
  /** How the pool rebuilds the header version from it (default XOR, as public-pool). */
  versionRule?: VersionRule;
  ntime?: number;
  nonce?: number;
  difficulty?: number;
}

export interface JobExplanation {
  jobId: string;
  coinbase: string;
  coinbaseTxid: string;
  merkleRoot: string;
  version: string;
  /** With --version-bits: the rule the version was rebuilt by. */
  versionRule?: VersionRule;
  /** With --version-bits, when the other rule rebuilds a different header (the share is then judged differently by XOR and OR pools). */
  versionUnderOtherRule?: string;
  prevHash: string;
  ntime: string;
  nbits: string;
  networkTarget: string;
  networkDifficulty: number;
  header: string;
  midstate: string;
  nonce?: number;
  nonceHex?: string;
  hash?: string;
  difficulty?: number;
  meetsNetworkTarget?: boolean;
  shareTarget?: string;
  meetsShareTarget?: boolean;
}

/** The params array out of whatever the user pasted: the whole JSON-RPC line or the array. */
export function notifyParamsFromText(text: string): unknown {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (err) {
    throw new InputError('notify', `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (Array.isArray(msg)) return msg;
  if (msg === null || typeof msg !== 'object') throw new InputError('notify', `expected a JSON object or array, got ${describeValue(msg)}`);
  const { method, params } = msg as { method?: unknown; params?: unknown };
  if (method !== 'mining.notify') {
    throw new InputError('notify', `expected method 'mining.notify', got ${method === undefined ? 'no method' : describeValue(method)}`);
  }
  if (params === undefined) throw new InputError('mining.notify', 'the message has no params');
  return params;
}

export function explainJob(input: JobInput): JobExplanation {
  const job = parseNotifyParams(notifyParamsFromText(input.notify));
  const extranonce1 = hexToBytes(input.extranonce1, 'extranonce1');
  const extranonce2 = hexToBytes(input.extranonce2, 'extranonce2', input.extranonce2Size);
  if (extranonce2.length > 16) throw new InputError('extranonce2', `at most 16 bytes, got ${extranonce2.length}`);

  const mask = input.versionMask ?? BIP320_MASK;
  const rule = input.versionRule ?? 'xor';
  const version = input.versionBits === undefined ? job.version : rebuildVersion(job.version, input.versionBits, mask, rule);
  const ntime = input.ntime ?? job.ntime;
  const networkTarget = nbitsToTarget(job.nbits);
  const work = jobWork(job, extranonce1, extranonce2);
  const header = buildHeader({
    version,
    prevHash: job.prevHash,
    merkleRoot: work.merkleRoot,
    ntime,
    nbits: job.nbits,
    nonce: input.nonce ?? 0,
  });
  const out: JobExplanation = {
    jobId: job.jobId,
    coinbase: bytesToHex(work.coinbase),
    coinbaseTxid: toDisplayHex(work.coinbaseTxid),
    merkleRoot: toDisplayHex(work.merkleRoot),
    version: u32ToHex(version),
    prevHash: toDisplayHex(job.prevHash),
    ntime: u32ToHex(ntime),
    nbits: u32ToHex(job.nbits),
    networkTarget: targetToHex(networkTarget),
    networkDifficulty: nbitsToDifficulty(job.nbits),
    header: bytesToHex(header),
    midstate: wordsToHex(headerWork(header).midstate),
  };
  if (input.versionBits !== undefined) {
    out.versionRule = rule;
    const other = rebuildVersion(job.version, input.versionBits, mask, rule === 'xor' ? 'or' : 'xor');
    if (other !== version) out.versionUnderOtherRule = u32ToHex(other);
  }
  if (input.nonce !== undefined) {
    const hash = new NonceHasher(header).hash(input.nonce, new Uint8Array(32));
    out.nonce = input.nonce;
    out.nonceHex = u32ToHex(input.nonce);
    out.hash = toDisplayHex(hash);
    out.difficulty = hashToDifficulty(hash);
    out.meetsNetworkTarget = hashMeetsTarget(hash, networkTarget);
    if (input.difficulty !== undefined) {
      const shareTarget = difficultyToTarget(input.difficulty);
      out.shareTarget = targetToHex(shareTarget);
      out.meetsShareTarget = hashMeetsTarget(hash, shareTarget);
    }
  }
  return out;
}

const LABELS: Record<keyof JobExplanation, string> = {
  jobId: 'job id',
  coinbase: 'coinbase',
  coinbaseTxid: 'coinbase txid',
  merkleRoot: 'merkle root',
  version: 'version',
  versionRule: 'version rebuilt by',
  versionUnderOtherRule: 'version by the other rule',
  prevHash: 'previous block',
  ntime: 'ntime',
  nbits: 'nbits',
  networkTarget: 'network target',
  networkDifficulty: 'network difficulty',
  header: 'header',
  midstate: 'midstate',
  nonce: 'nonce',
  nonceHex: 'nonce (submit hex)',
  hash: 'hash',
  difficulty: 'share difficulty',
  meetsNetworkTarget: 'block?',
  shareTarget: 'share target',
  meetsShareTarget: 'meets share target?',
};

export function formatExplanation(e: JobExplanation): string {
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  const lines: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof JobExplanation)[]) {
    const v = e[key];
    if (v === undefined) continue;
    const text = typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(8) : String(v);
    lines.push(`${LABELS[key].padEnd(width)}  ${text}`);
  }
  return lines.join('\n');
}

export function registerJob(program: Command, print: (s: string) => void): void {
  program
    .command('job')
    .description('explain one Stratum job: coinbase, merkle root, header, midstate, and a nonce\'s hash')
    .requiredOption('--notify <json|@file>', 'the raw mining.notify JSON line, or @file to read it from a file')
    .requiredOption('--extranonce1 <hex>', 'extranonce1 from the subscribe reply (may be empty: "")')
    .requiredOption('--extranonce2 <hex>', 'extranonce2 as sent in mining.submit')
    .option('--extranonce2-size <bytes>', 'the size the pool gave at subscribe; checked against --extranonce2', intOption(0, 16))
    .option('--version-bits <hex>', 'the version field exactly as sent as the 6th mining.submit parameter; the header version is rebuilt from it by --version-rule', hexWordOption)
    .option('--version-mask <hex>', 'version-rolling mask granted by the pool (--version-bits must lie inside it)', hexWordOption, BIP320_MASK)
    .option('--version-rule <rule>', "how the pool rebuilds the header version: 'xor' (job ^ bits, public-pool) or 'or' (job | bits, ckpool)", versionRuleOption, 'xor')
    .option('--ntime <hex>', 'ntime as sent in mining.submit, when it differs from the job\'s', hexWordOption)
    .option('--nonce <n>', 'the header nonce field, decimal or 0x-hex (the value, not the submit hex)', u32Option)
    .option('--difficulty <d>', 'pool share difficulty to check the nonce against', positiveNumberOption)
    .option('--json', 'print one JSON object')
    .action((opts: {
      notify: string;
      extranonce1: string;
      extranonce2: string;
      extranonce2Size?: number;
      versionBits?: number;
      versionMask: number;
      versionRule: VersionRule;
      ntime?: number;
      nonce?: number;
      difficulty?: number;
      json?: boolean;
    }) => {
      const explanation = explainJob({ ...opts, notify: readArgument(opts.notify, 'notify') });
      print(opts.json ? JSON.stringify(explanation) : formatExplanation(explanation));
    });
}
