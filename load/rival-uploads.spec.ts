import type { InvokeEntry } from '@imagery/history/history-entry';
import { iterationRandom } from './engine/seeded-choices';
import { ALL_BAD_KINDS, chooseJourney, type ChoiceContext } from './imagery';
import type { FakeApiOptions } from '@imagery/testing/load/fake-api';
import { completions, useFakeApiWorkload } from '@imagery/testing/load/fake-api-workload';

describe('rival uploads (rivalUploadShare): a share of journeys uploads two different images to its id at once', () => {
  const fakeApi = useFakeApiWorkload('rival-uploads');

  /** Every journey with its rival upload, as one smoke journey. */
  const run = (fake: FakeApiOptions) => fakeApi.run(fake, { scenario: 'smoke', iterations: 1, rivalUploadShare: 1, p95Ms: 60_000 });

  /** The second upload of each id is refused, as the real build refuses other bytes than the accepted ones (so does the fake). */
  const refuseSecond = () => {
    const seen = new Set<string>();
    return {
      intervene: (r: { method: string; path: string }) =>
        r.method === 'POST' ? (seen.has(r.path) ? { status: 409 } : (seen.add(r.path), undefined)) : undefined,
    };
  };

  it('sends both uploads at once, with other bytes; one accepted and one refused (409) is the journey going on', async () => {
    const { result, entries } = await run(refuseSecond());
    expect(result.summary.journeys).toMatchObject({ ok: 1, failed: 0 });
    const invokes = entries.filter((e): e is InvokeEntry => e.type === 'invoke' && e.op === 'upload');
    expect(invokes).toHaveLength(2);
    expect(new Set(invokes.map((i) => i.sha256)).size).toBe(2);
    const firstDone = completions(entries).find((c) => c.op === 'upload')!;
    expect(invokes[1].time).toBeLessThanOrEqual(firstDone.time); // the second was sent before the first was answered
    expect(
      completions(entries)
        .filter((c) => c.op === 'upload')
        .map((c) => [c.type, c.status >= 200 && c.status < 300 ? '2xx' : c.status])
        .sort(),
    ).toEqual([
      ['fail', 409],
      ['ok', '2xx'],
    ]);
  });

  it("is recorded as sent: two acknowledged uploads (a build that accepts both) are the checker's to judge", async () => {
    const acceptBoth = { status: 200, body: { version: 1, state: 'uploaded' } };
    const { entries } = await run({ intervene: (r) => (r.method === 'POST' ? acceptBoth : undefined) });
    expect(
      completions(entries)
        .filter((c) => c.op === 'upload')
        .map((c) => c.type),
    ).toEqual(['ok', 'ok']);
  });

  it('fails the journey when neither upload is accepted', async () => {
    const { result } = await run({ intervene: (r) => (r.method === 'POST' ? { status: 409 } : undefined) });
    expect(result.summary.journeys).toMatchObject({ ok: 0, failed: 1 });
  });

  it('without the knob the seeded choices are those of before', () => {
    const context: ChoiceContext = { seed: 3, runTag: 'seed-3', badShare: 0.3, badKinds: ALL_BAD_KINDS, images: 4 };
    for (let i = 0; i < 50; i++) {
      const before = chooseJourney(iterationRandom(3, i), i, context);
      expect(chooseJourney(iterationRandom(3, i), i, { ...context, rivalUploadShare: 0 })).toEqual(before);
      const rival = chooseJourney(iterationRandom(3, i), i, { ...context, rivalUploadShare: 0.5 });
      expect({ ...rival, rivalImage: undefined }).toEqual({ ...before, rivalImage: undefined });
      if (rival.rivalImage !== undefined) expect(rival.rivalImage).not.toBe(rival.image);
    }
  });
});
