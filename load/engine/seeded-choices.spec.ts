import { ALL_BAD_KINDS, chooseJourney, type ChoiceContext, type JourneyChoice } from '../imagery';
import { iterationRandom, jittered, journeyId } from './seeded-choices';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What one generator would choose for its first `n` iterations, retry jitter included. */
function choices(seed: number, runTag: string, n: number, badShare = 0.2): Array<JourneyChoice & { jitter: number[] }> {
  const context: ChoiceContext = { seed, runTag, badShare, badKinds: ALL_BAD_KINDS, images: 4 };
  return Array.from({ length: n }, (_, i) => {
    const random = iterationRandom(seed, i);
    const choice = chooseJourney(random, i, context);
    return { ...choice, jitter: [jittered(random, 1000), jittered(random, 2000)] };
  });
}

describe('seeded choices', () => {
  it('the same seed makes the same choices: ids, good or bad, which bad kind, which fixture, the jitter', () => {
    expect(choices(7, 'seed-7', 500)).toEqual(choices(7, 'seed-7', 500));
  });

  it('another seed makes other choices', () => {
    const a = choices(7, 'run', 500);
    const b = choices(8, 'run', 500);
    expect(b.map((c) => c.id)).not.toEqual(a.map((c) => c.id));
    expect(b.map((c) => c.bad ?? '-')).not.toEqual(a.map((c) => c.bad ?? '-'));
    expect(b.map((c) => c.image)).not.toEqual(a.map((c) => c.image));
    expect(b.map((c) => c.jitter)).not.toEqual(a.map((c) => c.jitter));
  });

  it('another runTag changes the ids only: two runs of one seed stay apart on one platform', () => {
    const a = choices(7, 'run-a', 300);
    const b = choices(7, 'run-b', 300);
    const ids = new Set(a.map((c) => c.id));
    expect(b.some((c) => ids.has(c.id))).toBe(false);
    const rest = (list: typeof a) => list.map(({ id: _id, ...other }) => other);
    expect(rest(b)).toEqual(rest(a));
  });

  it('ids are UUIDv4-shaped and unique within a run', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => journeyId(3, 'seed-3', i));
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the bad share and the kinds are as asked, over many journeys', () => {
    const list = choices(5, 'seed-5', 20_000, 0.25);
    const bad = list.filter((c) => c.bad);
    expect(bad.length / list.length).toBeGreaterThan(0.23);
    expect(bad.length / list.length).toBeLessThan(0.27);
    for (const kind of ALL_BAD_KINDS) {
      const share = bad.filter((c) => c.bad === kind).length / bad.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
    expect(bad.filter((c) => c.bad === 'bad-id').every((c) => c.malformedId && !UUID_V4.test(c.malformedId))).toBe(true);
    expect(list.filter((c) => !c.bad).every((c) => c.malformedId === undefined)).toBe(true);
    expect(choices(5, 'seed-5', 2000, 0).filter((c) => c.bad)).toEqual([]);
  });
});
