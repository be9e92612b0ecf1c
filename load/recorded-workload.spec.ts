import type { HistoryEntry } from '@imagery/history/history-entry';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordedWorkload, recordedWorkloadSchema, withJourneys } from './recorded-workload';
import { readRecordedWorkload } from './recorded-workload-file';

const T0 = 1_767_225_600_000;
const sha = (c: string) => c.repeat(64);
const A = { file: 'a.jpg', sha256: sha('a') };
const B = { file: 'b.jpg', sha256: sha('b') };
const TXT = { file: 'not-an-image.txt', sha256: sha('c') };

const start = (options: Record<string, unknown>): HistoryEntry => ({ type: 'workload', time: T0, phase: 'start', options });
const START_OPTIONS = {
  seed: 7,
  runTag: 's7-abc',
  arrivalPhaseMs: 3000,
  fixtures: { seed: 1, maxUploadBytes: 4096, images: [sha('a'), sha('b')] },
  rate: 10,
};

/** An invoke of journey `process`, step `step`; `journey` only on a journey's first request. */
function invoke(process: number, step: number, attempt: number, fields: Record<string, unknown> = {}): HistoryEntry {
  return {
    type: 'invoke',
    time: T0 + process * 100 + step * 10 + attempt,
    process,
    op: step === 1 ? 'create' : 'upload',
    id: `id-${process}`,
    attempt,
    requestId: `s7-abc-j${process}-s${step}-a${attempt}`,
    step,
    ...fields,
  };
}

/** A synthetic run: a good journey, a rival and late one, a bad file, a bad id; retries and completions without descriptions. */
const history: HistoryEntry[] = [
  start(START_OPTIONS),
  invoke(0, 1, 1, { journey: { at: 0, kind: 'good', id: 'id-0', image: A } }),
  { type: 'ok', time: T0 + 20, process: 0, op: 'create', id: 'id-0', attempt: 1, requestId: 's7-abc-j0-s1-a1', step: 1, status: 201 },
  invoke(0, 2, 1, { sha256: sha('a') }),
  invoke(0, 2, 2, { sha256: sha('a') }),
  invoke(2, 1, 1, { journey: { at: 200, kind: 'not-an-image', id: 'id-2', image: TXT } }),
  invoke(1, 1, 1, { journey: { at: 100, kind: 'good', id: 'id-1', image: B, rival: A, lateCreate: true } }),
  invoke(3, 1, 1, { bad: 'bad-id', id: 'not-a-uuid', journey: { at: 300, kind: 'bad-id', id: 'not-a-uuid', image: A } }),
  { type: 'nemesis', time: T0 + 250, event: { kind: 'proxy', phase: 'disabled', proxy: 'dynamodb-a' } },
  { type: 'workload', time: T0 + 9000, phase: 'end', outcome: 'completed' },
];

describe('recordedWorkload: a run’s journeys read back from its history', () => {
  it('takes each journey from its first invoke, in journey order, and the run’s tag, seeds and arrival phase from the start', () => {
    expect(recordedWorkload(history)).toEqual({
      version: 1,
      runTag: 's7-abc',
      seed: 7,
      fixtures: { seed: 1, maxUploadBytes: 4096 },
      durationMs: 3000,
      journeys: [
        { index: 0, at: 0, kind: 'good', id: 'id-0', image: A },
        { index: 1, at: 100, kind: 'good', id: 'id-1', image: B, rival: A, lateCreate: true },
        { index: 2, at: 200, kind: 'not-an-image', id: 'id-2', image: TXT },
        { index: 3, at: 300, kind: 'bad-id', id: 'not-a-uuid', image: A },
      ],
    });
  });

  it('a subset keeps the run and only the journeys asked for', () => {
    const subset = withJourneys(recordedWorkload(history), (i) => i % 2 === 1);
    expect(subset.journeys.map((j) => j.index)).toEqual([1, 3]);
    expect(subset.runTag).toBe('s7-abc');
    expect(recordedWorkloadSchema.parse(subset)).toEqual(subset);
  });

  it('refuses a history it cannot make a recording of, saying why', () => {
    expect(() => recordedWorkload(history.slice(1))).toThrow(/one workload start; this one has 0/);
    expect(() => recordedWorkload([start({ seed: 7, runTag: 's7-abc' }), ...history.slice(1)])).toThrow(/arrivalPhaseMs/);
    const rivalOnBad = invoke(4, 1, 1, { journey: { at: 400, kind: 'truncated', id: 'id-4', image: TXT, rival: A } });
    expect(() => recordedWorkload([...history, rivalOnBad])).toThrow(/only a good journey has a rival upload or a late create/);
    const twice = invoke(0, 1, 2, { journey: { at: 0, kind: 'good', id: 'id-0', image: A } });
    expect(() => recordedWorkload([...history, twice])).toThrow(/journey indices must be unique/);
    const badHash = invoke(5, 1, 1, { journey: { at: 500, kind: 'good', id: 'id-5', image: { file: 'a.jpg', sha256: 'abc' } } });
    expect(() => recordedWorkload([...history, badHash])).toThrow(/sha256/);
  });
});

describe('readRecordedWorkload: from a history, a report or the recording itself', () => {
  it('reads the same recording from each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recorded-workload-'));
    try {
      const recording = recordedWorkload(history);
      const files = {
        'history.jsonl': history.map((e) => JSON.stringify(e)).join('\n') + '\n',
        'report.json': JSON.stringify({ verdict: 'FAIL', replay: { workload: recording } }),
        'recording.json': JSON.stringify(recording),
      };
      for (const [name, text] of Object.entries(files)) {
        await writeFile(join(dir, name), text);
        expect(await readRecordedWorkload(join(dir, name))).toEqual(recording);
      }
      await writeFile(join(dir, 'broken.json'), JSON.stringify({ ...recording, version: 2 }));
      await expect(readRecordedWorkload(join(dir, 'broken.json'))).rejects.toThrow(/version/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
