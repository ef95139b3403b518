import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src/stratum/line-framer.ts';
import { normalizeError, parseInbound, parseSubscribeResult } from '../../src/stratum/messages.ts';
import { decodeUtf8, encodeUtf8 } from '../../src/stratum/utf8.ts';
import { StratumClient } from '../../src/stratum/client.ts';
import { FakeClock, fakeNetwork } from '../helpers/fakes.ts';

/** Long fuzz runs: KILOHASH_FUZZ_RUNS=100000 npx vitest run tests/stratum/codec.test.ts */
const RUNS = Number(process.env.KILOHASH_FUZZ_RUNS ?? 300);

function collect(max: number) {
  const lines: string[] = [];
  const overflows: number[] = [];
  const framer = new LineFramer({ onLine: (l) => lines.push(l), onOverflow: (n) => overflows.push(n) }, max);
  return { framer, lines, overflows };
}

describe('LineFramer', () => {
  it('recovers the same lines however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }).filter((s) => !s.includes('\n') && s.trim() === s && s !== ''), { maxLength: 10 }), fc.array(fc.nat(50), { maxLength: 20 }), (msgs, cuts) => {
        const bytes = encodeUtf8(msgs.map((m) => m + '\n').join(''));
        const { framer, lines } = collect(1024);
        let at = 0;
        for (const c of cuts) {
          framer.push(bytes.subarray(at, Math.min(bytes.length, at + c)));
          at = Math.min(bytes.length, at + c);
        }
        framer.push(bytes.subarray(at));
        expect(lines).toEqual(msgs);
      }),
      { numRuns: RUNS },
    );
  });

  it('drops an over-long line whole, reports it once, and keeps the next', () => {
    const { framer, lines, overflows } = collect(16);
    framer.push(encodeUtf8('short\n' + 'x'.repeat(40)));
    framer.push(encodeUtf8('y'.repeat(40) + '\nnext\r\n'));
    expect(lines).toEqual(['short', 'next']);
    expect(overflows).toEqual([80]);
  });

  it('fuzz: random bytes never throw and no line exceeds the bound', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 }), (chunks) => {
        const { framer, lines } = collect(64);
        for (const c of chunks) framer.push(c);
        for (const l of lines) expect(encodeUtf8(l).length).toBeLessThanOrEqual(64 * 3);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('LineFramer memory', () => {
  it('grows its buffer for long lines up to the limit, and drops a longer one whole', () => {
    const lines: string[] = [];
    const dropped: number[] = [];
    const f = new LineFramer({ onLine: (l) => lines.push(l), onOverflow: (n) => dropped.push(n) }, 8192);
    const long = 'x'.repeat(5000);
    // Split across reads the way TCP does.
    const bytes = encodeUtf8(`short\n${long}\n${'y'.repeat(9000)}\nafter\n`);
    for (let i = 0; i < bytes.length; i += 700) f.push(bytes.subarray(i, i + 700));
    expect(lines).toEqual(['short', long, 'after']);
    expect(dropped).toEqual([9000]);
    expect((f as unknown as { buf: Uint8Array }).buf.length).toBe(8192);
  });
});

describe('utf8', () => {
  it('decodes long ASCII runs without putting more than 64 characters on the JS stack at once', () => {
    // XS on the ESP32-C3 has a 512-slot stack; apply() with a 4096-character run overflowed it.
    const original = String.fromCharCode;
    let widest = 0;
    String.fromCharCode = (...codes: number[]) => {
      widest = Math.max(widest, codes.length);
      return original(...codes);
    };
    try {
      const text = 'a'.repeat(5000) + 'é' + 'b'.repeat(300);
      expect(decodeUtf8(encodeUtf8(text))).toBe(text);
    } finally {
      String.fromCharCode = original;
    }
    expect(widest).toBeLessThanOrEqual(64);
  });

  it('round-trips any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(decodeUtf8(encodeUtf8(s))).toBe(s);
    }), { numRuns: RUNS });
  });
  it('agrees with TextDecoder on valid input and substitutes on broken input', () => {
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x82, 0xac))).toBe('€');
    expect(decodeUtf8(Uint8Array.of(0x41, 0xe2, 0x82))).toBe('A\ufffd\ufffd');
    expect(decodeUtf8(Uint8Array.of(0xff, 0x41))).toBe('\ufffdA');
  });
});

describe('messages', () => {
  it.each([
    [[21, 'Job not found', null], { code: 21, message: 'Job not found' }],
    [[23, 'Low difficulty'], { code: 23, message: 'Low difficulty' }],
    ['Stale share', { code: null, message: 'Stale share' }],
    [{ code: -1, message: 'Invalid share' }, { code: -1, message: 'Invalid share' }],
    [{ code: '22', message: 'dup' }, { code: 22, message: 'dup' }],
    [null, null],
    [undefined, null],
    [42, { code: null, message: '42' }],
  ])('normalizeError(%j)', (raw, expected) => {
    expect(normalizeError(raw)).toEqual(expected);
  });

  it('reject-reason fills in a null error', () => {
    expect(normalizeError(null, 'Above target')).toEqual({ code: null, message: 'Above target' });
  });

  it('classifies replies and notifications', () => {
    expect(parseInbound('{"id":3,"result":true,"error":null}')).toEqual({ kind: 'response', id: 3, result: true, error: null });
    expect(parseInbound('{"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"nope"}}')).toMatchObject({ kind: 'response', id: 'a', error: { code: -32601 } });
    expect(parseInbound('{"id":null,"method":"mining.set_difficulty","params":["0.5"]}')).toEqual({ kind: 'set_difficulty', difficulty: 0.5 });
    expect(parseInbound('{"method":"client.reconnect","params":[]}')).toEqual({ kind: 'reconnect', host: null, port: null, waitSeconds: 0 });
    expect(parseInbound('{"id":5,"method":"mining.whatever"}')).toEqual({ kind: 'unknown', method: 'mining.whatever', id: 5 });
    expect(parseInbound('{"id":null,"method":"mining.set_difficulty","params":[0]}').kind).toBe('malformed');
    expect(parseInbound('{"id":null,"method":"mining.set_extranonce","params":["zz",4]}').kind).toBe('malformed');
    expect(parseInbound('{"id":null,"method":"mining.set_extranonce","params":["00",17]}').kind).toBe('malformed');
    expect(parseInbound('{"result":true}').kind).toBe('malformed');
  });

  it('subscribe results in every shape', () => {
    expect(parseSubscribeResult([[['mining.set_difficulty', 'd'], ['mining.notify', 'n']], 'ab', 4])).toMatchObject({ extranonce2Size: 4, sessionId: 'n' });
    expect(parseSubscribeResult([['mining.notify', 'n1'], '', 8])).toMatchObject({ extranonce2Size: 8, sessionId: 'n1' });
    expect(parseSubscribeResult([null, '00', 0])).toMatchObject({ extranonce2Size: 0, sessionId: null });
    expect(() => parseSubscribeResult([null, 'zz', 4])).toThrow('extranonce1: not hex');
    expect(() => parseSubscribeResult([null, '00', 32])).toThrow('extranonce2_size: must be an integer 0..16');
    expect(() => parseSubscribeResult(true)).toThrow('mining.subscribe result');
  });

  it('fuzz: any JSON value as a message never throws', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('mining.notify', 'mining.set_difficulty', 'mining.set_extranonce', 'client.reconnect', 'mining.set_version_mask', 'x'), (params, method) => {
      parseInbound(JSON.stringify(params));
      parseInbound(JSON.stringify({ id: null, method, params }));
      parseInbound(JSON.stringify({ id: 1, result: params, error: params }));
    }), { numRuns: RUNS });
  });

  it('fuzz: a session fed random lines and bytes never throws and stays bounded', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) + '\n'), fc.string(), fc.uint8Array({ maxLength: 200 }).map((b) => decodeUtf8(b))), { maxLength: 40 }), (chunks) => {
      const net = fakeNetwork();
      const client = new StratumClient({ pools: [{ url: 'p:1', user: 'u' }], transport: net.factory, clock: new FakeClock(), onEvent: () => undefined, maxLineBytes: 512 });
      client.start();
      net.connections[0]!.options.onConnect();
      for (const c of chunks) net.connections.at(-1)?.push(c);
      expect(client.queuedShares).toBe(0);
    }), { numRuns: Math.ceil(RUNS / 3) });
  });
});
