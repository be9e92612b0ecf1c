import type { HistoryEntry } from '@imagery/history/history-entry';
import { IDS, T0, attempt, cleanRun, completeHistory, journey } from '@imagery/testing/checker/run-builder';
import { acknowledgedDurable } from './acknowledged-durable';

describe('acknowledged-durable', () => {
  const [A, B] = IDS;
  const check = (history: HistoryEntry[]) => acknowledgedDurable({ history, state: cleanRun([]).state, options: {} });

  it('passes a clean run', () => {
    expect(check(cleanRun().history)).toEqual([]);
  });

  it('flags `created` read after an acknowledged upload', () => {
    const history = completeHistory([
      ...journey(A),
      ...attempt({ op: 'get', id: A, at: T0 + 2_000, type: 'ok', version: 0, state: 'created' }),
    ]);
    expect(check(history)).toEqual([
      {
        invariant: 'acknowledged-durable',
        ids: [A],
        message: expect.stringMatching(
          /^read `created` after an acknowledged upload: upload#1 ok 200 v1 uploaded at .*, then get#1 ok 200 v0 created/,
        ) as unknown,
      },
    ]);
  });

  it('says a forgotten upload once per image, however many reads saw it (the first, then a count)', () => {
    const reads = [2_000, 3_000, 4_000].flatMap((at) =>
      attempt({ op: 'get', id: A, at: T0 + at, type: 'ok', version: 0, state: 'created' }),
    );
    const found = check(completeHistory([...journey(A), ...reads]));
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(
      /^read `created` after an acknowledged upload: upload#1 .* then get#1 ok 200 v0 created at 2[.\d]* s \(and 2 more such reads\)$/,
    );
  });

  it('does not flag `created` read by an operation invoked before the upload was acknowledged', () => {
    // invoked at +30, the upload completed at +40: may see either state
    const history = completeHistory([
      ...journey(A),
      ...attempt({ op: 'get', id: A, at: T0 + 30, took: 15, type: 'ok', version: 0, state: 'created' }),
    ]);
    expect(check(history)).toEqual([]);
  });

  it('flags two uploads of different bytes both acknowledged (rival writers), not one refused or the same bytes twice', () => {
    const create = attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created' });
    const upload = (sha256: string, type: 'ok' | 'fail', at: number) =>
      attempt({
        op: 'upload',
        id: A,
        at,
        took: 30,
        type,
        ...(type === 'fail' ? { status: 409 } : { version: 1, state: 'uploaded' }),
        sha256,
      });
    const both = check(completeHistory([...create, ...upload('a'.repeat(64), 'ok', T0 + 20), ...upload('b'.repeat(64), 'ok', T0 + 21)]));
    expect(both).toEqual([
      {
        invariant: 'acknowledged-durable',
        ids: [A],
        message: expect.stringMatching(
          /^2 different uploads acknowledged, only one can be the image: upload#1 ok 200 v1 uploaded at .* \(aaaaaaaaaaaa\), upload#1/,
        ) as unknown,
      },
    ]);
    expect(
      check(completeHistory([...create, ...upload('a'.repeat(64), 'ok', T0 + 20), ...upload('b'.repeat(64), 'fail', T0 + 21)])),
    ).toEqual([]);
    expect(check(completeHistory([...create, ...upload('a'.repeat(64), 'ok', T0 + 20), ...upload('a'.repeat(64), 'ok', T0 + 21)]))).toEqual(
      [],
    );
  });

  it('flags a 404 after an acknowledged create, not before', () => {
    const after = completeHistory([...journey(B).slice(0, 2), ...attempt({ op: 'get', id: B, at: T0 + 100, type: 'fail', status: 404 })]);
    expect(check(after)).toEqual([
      {
        invariant: 'acknowledged-durable',
        ids: [B],
        message: expect.stringContaining('not found after an acknowledged create') as unknown,
      },
    ]);
    const before = completeHistory([
      ...attempt({ op: 'get', id: B, at: T0, type: 'fail', status: 404 }),
      ...attempt({ op: 'create', id: B, at: T0 + 20, type: 'ok', version: 0, state: 'created' }),
    ]);
    expect(check(before)).toEqual([]);
  });
});
