import { checkHistory } from './check-history';
import { IDS, T0, cleanRun, event, finalState, journey, object, processedItem } from './test/run-builder';

describe('checkHistory', () => {
  const [A, B, C, D] = IDS;

  it('passes a clean run and counts it', async () => {
    const { history, state } = cleanRun();
    const bad = [
      event({ op: 'create', id: 'not-a-uuid', status: 400, bad: 'bad-id', vu: 9 }),
      event({ op: 'get', id: A, status: 503, start: T0 + 500, vu: 1 }),
      event({ op: 'get', id: A, status: 0, start: T0 + 600, vu: 1, attempt: 2 }),
      event({ op: 'get', id: A, status: 200, start: T0 + 700, vu: 1, attempt: 3, version: 1, state: 'uploaded' }),
    ];
    const result = await checkHistory([...history, ...bad], state);
    expect(result).toEqual({
      ok: true,
      violations: [],
      stats: expect.objectContaining({
        events: 20,
        journeys: 4,
        acknowledgedCreates: 4,
        acknowledgedUploads: 4,
        items: 4,
        processed: 4,
        failed: 0,
        unfinished: 0,
        rawObjects: 4,
        processedObjects: 4,
        unreferencedRawObjects: 0,
        badRequests: 1,
        networkErrors: 1,
        serverErrors: 1,
        retries: 2,
        failedRequests: 0,
        queueLeft: 0,
        deadLetters: 0,
        sepiaChecked: 0,
      }),
    });
  });

  it('reports every invariant a broken run violates, and is not ok', async () => {
    const history = [
      ...journey(A),
      ...journey(B, T0 + 100, 2),
      event({ op: 'get', id: B, status: 200, start: T0 + 5_000, version: 0, state: 'created' }),
      event({ op: 'upload', id: C, status: 200, bad: 'not-an-image', vu: 3, version: 1, state: 'uploaded' }),
    ];
    const state = {
      ...finalState([processedItem(A), { ...processedItem(B), version: 1, state: 'uploaded', processedS3Key: undefined }, processedItem(D)]),
      queue: { visible: 1, inFlight: 0, delayed: 0 },
    };
    const result = await checkHistory(history, { ...state, objects: [...state.objects, object(`processed/${A}-123.jpg`)] });
    expect(result.ok).toBe(false);
    expect([...new Set(result.violations.map((v) => v.invariant))].sort()).toEqual(
      ['acknowledged-durable', 'bad-input-rejected', 'drained', 'monotonic', 'nothing-duplicated', 'nothing-lost'].sort(),
    );
    expect(result.stats).toMatchObject({ unfinished: 1, queueLeft: 1 });
  });

  it('runs the sampled sepia check only when asked, and counts what it checked', async () => {
    const { history, state } = cleanRun();
    const readObject = jest.fn(async () => Buffer.from('not an image'));
    const result = await checkHistory(history, state, { sepia: { sample: 2, seed: 5, readObject } });
    expect(result.stats.sepiaChecked).toBe(2);
    expect(result.violations.map((v) => v.invariant)).toEqual(['sepia', 'sepia']);
    expect(readObject).toHaveBeenCalledTimes(4);
  });
});
