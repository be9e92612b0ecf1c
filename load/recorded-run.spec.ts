import type { HistoryEntry, InvokeEntry, WorkloadEntry } from '@imagery/history/history-entry';
import type { SeenRequest } from '@imagery/testing/load/fake-api';
import { completions, useFakeApiWorkload } from '@imagery/testing/load/fake-api-workload';
import { parseRequestId } from './engine/request-id';
import { recordedWorkload, withJourneys, type RecordedWorkload } from './recorded-workload';

/** What a request is, as the server saw it: the same on a replay. */
const sent = (r: SeenRequest) => `${r.method} ${r.path} ${r.requestId} ${r.bodySha256}`;
const workloadRequests = (requests: readonly SeenRequest[]) => requests.filter((r) => r.path !== '/health/live');
const startOf = (entries: HistoryEntry[]) => entries.find((e): e is WorkloadEntry => e.type === 'workload' && e.phase === 'start')!;

describe('a recorded workload replayed exactly (runWorkload `recorded`)', () => {
  const fakeApi = useFakeApiWorkload('recorded-run');
  // processed on the first poll, so a journey's requests do not depend on timing
  const FAKE = { processAfterMs: 0 };
  // a mixed run: bad input of every kind, rival uploads, late creates
  const MIXED = { rate: 40, durationSeconds: 0.5, seed: 5, runTag: 'rec-5', badShare: 0.4, rivalUploadShare: 0.3, lateCreateShare: 0.3 };

  async function recordedRun(): Promise<{ recording: RecordedWorkload; requests: SeenRequest[] }> {
    const first = await fakeApi.run(FAKE, MIXED);
    await first.api.close();
    return { recording: recordedWorkload(first.entries), requests: [...first.api.requests] };
  }

  it('sends the same requests (method, path, ids, request ids, bytes), each journey at its offset; recorded again', async () => {
    const { recording, requests } = await recordedRun();
    expect(recording.journeys).toHaveLength(20);
    const kinds = new Set(recording.journeys.map((j) => j.kind));
    expect(kinds.has('good') && kinds.size).toBeGreaterThanOrEqual(3); // good and at least two kinds of bad input
    expect(recording.journeys.some((j) => j.rival) && recording.journeys.some((j) => j.lateCreate)).toBe(true);
    expect(recording.journeys.map((j) => j.at)).toEqual(Array.from({ length: 20 }, (_, i) => i * 25));

    // the replay: other options on purpose (seed, runTag, shares): the recording decides
    const replay = await fakeApi.run(FAKE, { recorded: recording, seed: 99, runTag: 'other', badShare: 0, rate: 1 });
    expect(replay.result.outcome).toBe('completed');
    expect(workloadRequests(replay.api.requests).map(sent).sort()).toEqual(workloadRequests(requests).map(sent).sort());
    expect(recordedWorkload(replay.entries)).toEqual(recording);

    // each journey's first request arrived at its offset from the load's start (timers are late, never early)
    const t0 = startOf(replay.entries).time;
    for (const journey of recording.journeys) {
      const first = replay.api.requests.find((r) => r.requestId === `rec-5-j${journey.index}-s1-a1`)!;
      expect(first.at - t0).toBeGreaterThanOrEqual(journey.at - 5);
      expect(first.at - t0).toBeLessThan(journey.at + 1000); // loose: a busy machine delays timers
    }
    expect(replay.result.summary.journeys.bad.ok + replay.result.summary.journeys.good.ok).toBe(20);
  });

  it('a subset sends exactly the requests of the journeys kept', async () => {
    const { recording, requests } = await recordedRun();
    const keep = (index: number) => index % 3 === 1;
    const subset = withJourneys(recording, keep);
    const replay = await fakeApi.run(FAKE, { recorded: subset });
    const ofKept = workloadRequests(requests).filter((r) => keep(parseRequestId(r.requestId)!.journey));
    expect(workloadRequests(replay.api.requests).map(sent).sort()).toEqual(ofKept.map(sent).sort());
    expect(recordedWorkload(replay.entries).journeys).toEqual(subset.journeys);
  });

  it('a retry does not move the later requests’ ids: keyed by step and attempt', async () => {
    const { recording } = await recordedRun();
    const good = withJourneys(recording, (i) => i === recording.journeys.find((j) => j.kind === 'good' && !j.rival)!.index);
    const index = good.journeys[0].index;
    let failed = false; // the journey's upload fails once
    const replay = await fakeApi.run(
      { ...FAKE, intervene: (r) => (r.method === 'POST' && !failed ? ((failed = true), { status: 503 }) : undefined) },
      { recorded: good },
    );
    const invokes = replay.entries.filter((e): e is InvokeEntry => e.type === 'invoke');
    expect(invokes.map((e) => [e.op, e.requestId])).toEqual([
      ['create', `rec-5-j${index}-s1-a1`],
      ['upload', `rec-5-j${index}-s2-a1`],
      ['upload', `rec-5-j${index}-s2-a2`],
      ['get', `rec-5-j${index}-s3-a1`],
      ...(good.journeys[0].lateCreate
        ? [
            ['create', `rec-5-j${index}-s4-a1`],
            ['get', `rec-5-j${index}-s5-a1`],
          ]
        : []),
    ]);
    expect(completions(replay.entries).map((c) => c.status)).toContain(503);
  });

  it('the load lasts the recorded arrival phase, even when the journeys kept end early', async () => {
    const { recording } = await recordedRun();
    const replay = await fakeApi.run(FAKE, { recorded: { ...withJourneys(recording, (i) => i === 0), durationMs: 1500 } });
    const end = replay.entries.find((e): e is WorkloadEntry => e.type === 'workload' && e.phase === 'end')!;
    expect(end.time - startOf(replay.entries).time).toBeGreaterThanOrEqual(1490);
    expect(recordedWorkload(replay.entries).durationMs).toBe(1500);
  });

  it('refuses, before sending anything, a recording whose fixture is not among the fixtures', async () => {
    const { recording } = await recordedRun();
    const [first] = recording.journeys;
    const other = { ...recording, journeys: [{ ...first, image: { file: 'gone.jpg', sha256: 'f'.repeat(64) } }] };
    await expect(fakeApi.run(FAKE, { recorded: other })).rejects.toThrow(/uploads gone\.jpg .* not among the fixtures/);
  });
});
