import { iterationRandom } from './engine/seeded-choices';
import { ALL_BAD_KINDS, chooseJourney, type ChoiceContext } from './imagery';
import { join } from 'node:path';
import { runWorkload } from './run-workload';
import { completions, useFakeApiWorkload } from '@imagery/testing/load/fake-api-workload';

describe('late creates (lateCreateShare): a share of journeys sends its create again once its image is processed', () => {
  const fakeApi = useFakeApiWorkload('late-create');

  const run = (...args: Parameters<typeof fakeApi.run>) => fakeApi.run(...args);

  it('is a plain create in the history, a new request after the acknowledged upload; the real answer (200, unchanged) passes', async () => {
    const { result, entries } = await run({}, { scenario: 'smoke', iterations: 2, lateCreateShare: 1 });
    expect(result.summary.journeys).toMatchObject({ ok: 2, failed: 0 });
    for (const process of [0, 1]) {
      const ops = completions(entries).filter((c) => c.process === process);
      const creates = ops.filter((c) => c.op === 'create');
      const upload = ops.find((c) => c.op === 'upload' && c.type === 'ok')!;
      expect(creates.map((c) => [c.type, c.status, c.attempt, c.state])).toEqual([
        ['ok', 201, 1, 'created'],
        ['ok', 200, 1, 'processed'], // its own request: attempts counted from 1 again
      ]);
      const lateInvoke = entries.find((e) => e.type === 'invoke' && e.requestId === creates[1].requestId)!;
      expect(lateInvoke.time).toBeGreaterThanOrEqual(upload.time);
      expect(creates[1].requestId).not.toBe(creates[0].requestId);
      expect(ops[ops.length - 1]).toMatchObject({ op: 'get', state: 'processed' });
    }
  });

  it('a build that resets the item on a late create fails the journey (its answer shows `created` again)', async () => {
    const puts = new Map<string, number>();
    const reset = { status: 201, body: { version: 0, state: 'created' } };
    const { result, entries } = await run(
      {
        // every PUT of an id after its first: the late one
        intervene: (r) => {
          if (r.method !== 'PUT') return undefined;
          puts.set(r.path, (puts.get(r.path) ?? 0) + 1);
          return puts.get(r.path)! > 1 ? reset : undefined;
        },
      },
      { scenario: 'smoke', iterations: 1, lateCreateShare: 1, p95Ms: 60_000 },
    );
    expect(result.summary.journeys).toMatchObject({ ok: 0, failed: 1 });
    expect(
      completions(entries)
        .filter((c) => c.op === 'create')
        .map((c) => [c.status, c.state]),
    ).toEqual([
      [201, 'created'],
      [201, 'created'],
    ]);
  });

  it('without the knob nothing changes: no late create is sent, and the seeded choices are those of before', async () => {
    const { entries } = await run({}, { scenario: 'smoke', iterations: 2 });
    expect(completions(entries).filter((c) => c.op === 'create')).toHaveLength(2);
    const context: ChoiceContext = { seed: 3, runTag: 'seed-3', badShare: 0.3, badKinds: ALL_BAD_KINDS, images: 4 };
    for (let i = 0; i < 50; i++) {
      const before = chooseJourney(iterationRandom(3, i), i, context);
      expect(chooseJourney(iterationRandom(3, i), i, { ...context, lateCreateShare: 0 })).toEqual(before);
      const late = chooseJourney(iterationRandom(3, i), i, { ...context, lateCreateShare: 0.5 });
      expect({ ...late, lateCreate: undefined }).toEqual({ ...before, lateCreate: undefined });
      if (late.bad) expect(late.lateCreate).toBeUndefined();
    }
    const quarter = { ...context, badShare: 0, lateCreateShare: 0.25 };
    const shares = Array.from({ length: 400 }, (_, i) => chooseJourney(iterationRandom(3, i), i, quarter).lateCreate);
    expect(shares.filter(Boolean).length / 400).toBeCloseTo(0.25, 1);
  });

  it('refuses a share outside 0..1', async () => {
    const options = { baseUrl: 'http://127.0.0.1:1', fixturesDir: join(fakeApi.dir(), 'fixtures'), historyPath: 'x', lateCreateShare: 1.5 };
    await expect(runWorkload(options)).rejects.toThrow(/lateCreateShare must be in 0\.\.1; got 1\.5/);
  });
});
