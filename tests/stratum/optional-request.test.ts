import { describe, expect, it } from 'vitest';
import { OptionalRequest, QUICK_HANG_UP_MS } from '../../src/stratum/optional-request.ts';

describe('optional requests are dropped on evidence, not coincidence', () => {
  it('a refusal drops it at once', () => {
    const r = new OptionalRequest('mining.suggest_difficulty');
    r.refused('Method not found');
    expect(r.send).toBe(false);
    expect(r.state).toEqual({ kind: 'dropped', why: 'the pool refused it: Method not found' });
  });

  it('a disconnect long after it was sent, or with it answered, says nothing about it', () => {
    const r = new OptionalRequest('mining.suggest_difficulty');
    for (let i = 0; i < 10; i++) {
      expect(r.connectionClosed(QUICK_HANG_UP_MS + 1, 60_000, true)).toBeUndefined();
      expect(r.connectionClosed(undefined, 500, false)).toBeUndefined();
    }
    expect(r.send).toBe(true);
  });

  it('two quick hang-ups in a row, then an attempt without it stays up: dropped', () => {
    const r = new OptionalRequest('mining.configure');
    expect(r.connectionClosed(50, 60, false)).toBeUndefined();
    expect(r.send).toBe(true);
    expect(r.connectionClosed(50, 60, false)).toMatch(/hung up twice in a row soon after mining.configure/);
    expect(r.send).toBe(false);
    expect(r.survivedWithout()).toMatch(/without mining.configure the pool stays up/);
    expect(r.state.kind).toBe('dropped');
  });

  it('quick hang-ups that are not in a row do not add up', () => {
    const r = new OptionalRequest('mining.suggest_difficulty');
    r.connectionClosed(50, 60, false);
    r.tolerated();
    r.connectionClosed(50, 60, false);
    expect(r.state).toEqual({ kind: 'sending', quickHangUps: 1 });
  });

  it('when the attempt without it fails fast as well, the request was not the cause: sent again', () => {
    const r = new OptionalRequest('mining.suggest_difficulty');
    r.connectionClosed(50, 60, false);
    r.connectionClosed(50, 60, false);
    expect(r.connectionClosed(undefined, 80, false)).toMatch(/hangs up without mining.suggest_difficulty too: sending it again/);
    expect(r.state).toEqual({ kind: 'sending', quickHangUps: 0 });
  });
});
