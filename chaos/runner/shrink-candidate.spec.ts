import type { RecordedJourney } from '../../load/recorded-journey';
import type { ScheduledFault } from '../nemesis/schedule/fault-schedule';
import type { ReplayRecord } from '../report/replay-record';
import { scheduledApiFault } from '@imagery/testing/chaos/scheduled-faults';
import { attemptChain, canFireIn, candidateRunOptions, subjectOf } from './shrink-candidate';

const journey = (index: number, at: number): RecordedJourney => ({
  index,
  at,
  kind: 'good',
  id: `img-${index}`,
  image: { file: 'photo-1.jpg', sha256: 'a'.repeat(64) },
});
const kill: ScheduledFault = { type: 'kill', at: 6_000, slot: 'worker-1', action: 'terminate' };
const toxic: ScheduledFault = {
  type: 'toxic',
  at: 7_000,
  until: 12_000,
  proxy: 's3-a',
  toxic: { type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: {} },
} as unknown as ScheduledFault;

const record = (): ReplayRecord => ({
  experiment: 'kill-worker',
  seed: 1,
  seedExplicit: false,
  fisSeed: 1,
  commit: 'abc',
  dirty: false,
  build: 'seed',
  options: {
    rate: 10,
    warmupSeconds: 5,
    tailSeconds: 10,
    badShare: 0.1,
    drainTimeoutMs: 20_000,
    processTimeoutSeconds: 30,
    sepiaSample: 10,
  },
  workloadOptions: { runTag: 's1-x' },
  workload: {
    version: 1,
    runTag: 's1-x',
    seed: 1,
    fixtures: { seed: 1, maxUploadBytes: 1_000_000 },
    durationMs: 30_000,
    journeys: [journey(0, 100), journey(1, 4_000), journey(2, 20_000), journey(3, 29_000)],
  },
  schedule: { startsAt: 5_000, endsAt: 20_000, faults: [kill, toxic] },
  fired: { startsAt: 5_000, endsAt: 20_000, faults: [kill] },
  verdict: 'FAIL',
  violations: [{ invariant: 'nothing-lost', ids: ['img-2'] }],
});

describe('a shrink candidate as run options', () => {
  it('starts from the recorded run: its executed faults, its journeys, its warm-up and tail', () => {
    const subject = subjectOf(record());
    expect(subject.faults).toEqual([kill, toxic]);
    expect(subject.journeys.map((j) => j.index)).toEqual([0, 1, 2, 3]);
    expect([subject.warmupSeconds, subject.tailSeconds]).toEqual([5, 10]);
  });

  it('runs only the kept faults and journeys, at their recorded times when the durations are kept', () => {
    const r = record();
    const options = candidateRunOptions(r, { ...subjectOf(r), faults: [toxic], journeys: [journey(2, 20_000)] });
    expect(options.schedule).toEqual({ startsAt: 5_000, endsAt: 20_000, faults: [toxic] });
    expect(options.recordedWorkload?.journeys).toEqual([journey(2, 20_000)]);
    expect(options.recordedWorkload?.durationMs).toBe(30_000);
    expect(options.experiment).toBe('kill-worker');
    // A mutation run's limits hold for its candidates: a journey waits 30 s, the drain 20 s, not the defaults.
    expect([options.processTimeoutSeconds, options.drainTimeoutMs]).toEqual([30, 20_000]);
  });

  it('moves faults and journeys earlier by what the warm-up lost, and drops journeys past a shorter tail', () => {
    const r = record();
    const options = candidateRunOptions(r, { ...subjectOf(r), warmupSeconds: 2, tailSeconds: 5 });
    expect(options.warmupSeconds).toBe(2);
    expect(options.tailSeconds).toBe(5);
    expect(options.schedule?.startsAt).toBe(2_000);
    expect(options.schedule?.faults.map((f) => [f.at, 'until' in f ? f.until : undefined])).toEqual([
      [3_000, undefined],
      [4_000, 9_000],
    ]);
    // load: 2 s warm-up + 15 s of faults + 5 s tail = 22 s; journey 3 (29 s - 3 s = 26 s) starts after it
    expect(options.recordedWorkload?.durationMs).toBe(22_000);
    expect(options.recordedWorkload?.journeys.map((j) => [j.index, j.at])).toEqual([
      [0, 0],
      [1, 1_000],
      [2, 17_000],
    ]);
  });

  it('refuses a report without its journeys', () => {
    expect(() => subjectOf({ ...record(), workload: undefined })).toThrow(/no recorded workload/);
  });
});

describe('which faults a shrink reduces together', () => {
  it("groups one request's attempts at one operation on one role; anything else stands alone", () => {
    const attempt = (at: number, requestId: string, occurrence: number, over = {}) =>
      scheduledApiFault(at, { match: { requestId, occurrence }, ...over });
    expect(attemptChain(attempt(1, 'r-1', 1))).toBe(attemptChain(attempt(2, 'r-1', 2)));
    expect(attemptChain(attempt(1, 'r-1', 1))).not.toBe(attemptChain(attempt(1, 'r-2', 1)));
    expect(attemptChain(attempt(1, 'r-1', 1))).not.toBe(attemptChain(attempt(1, 'r-1', 1, { role: 'api' })));
    expect(attemptChain(attempt(1, 'r-1', 1))).not.toBe(attemptChain(attempt(1, 'r-1', 1, { operation: 'PutItem' })));
    expect(attemptChain(kill)).not.toBe(attemptChain({ ...kill, at: 9_000 }));
  });
});

describe('which faults a run of some journeys can fire', () => {
  it("an API fault that names an image needs that image's journey; other faults may meet any run", () => {
    const onImage = (imageId: string) => scheduledApiFault(1, { match: { requestId: 'r-1', imageId, occurrence: 1 } });
    const journeys = [journey(1, 0), journey(2, 100)];
    expect(canFireIn(onImage('img-2'), journeys)).toBe(true);
    expect(canFireIn(onImage('img-3'), journeys)).toBe(false);
    expect(canFireIn(onImage('img-2'), [])).toBe(false);
    expect(canFireIn(scheduledApiFault(1, { match: { slot: 'worker-1', occurrence: 1 } }), [])).toBe(true);
    expect(canFireIn(kill, [])).toBe(true);
    expect(canFireIn(toxic, [])).toBe(true);
  });
});
