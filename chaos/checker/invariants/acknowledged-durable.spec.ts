import { IDS, T0, cleanRun, event, finalState, journey, processedItem } from '../test/run-builder';
import { acknowledgedDurable } from './acknowledged-durable';

describe('acknowledged-durable', () => {
  const [A, B] = IDS;

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(acknowledgedDurable(history, state)).toEqual([]);
  });

  it('flags `created` read after an acknowledged upload', () => {
    const history = [...journey(A), event({ op: 'get', id: A, status: 200, start: T0 + 2_000, version: 0, state: 'created' })];
    expect(acknowledgedDurable(history, finalState([processedItem(A)]))).toEqual([
      { invariant: 'acknowledged-durable', ids: [A], message: expect.stringMatching(/^read created after an acknowledged upload: upload#1 → 200 v1 uploaded .*, then get#1 → 200 v0 created/) },
    ]);
  });

  it('does not flag `created` read by a request that started before the upload was acknowledged', () => {
    // concurrent with the upload (started at +30, the upload ended at +40): may see either state
    const history = [...journey(A), event({ op: 'get', id: A, status: 200, start: T0 + 30, end: T0 + 45, version: 0, state: 'created' })];
    expect(acknowledgedDurable(history, finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags a 404 after an acknowledged create', () => {
    const history = [...journey(B).slice(0, 1), event({ op: 'get', id: B, status: 404, start: T0 + 100 })];
    expect(acknowledgedDurable(history, finalState([]))).toEqual([
      { invariant: 'acknowledged-durable', ids: [B], message: expect.stringContaining('not found after an acknowledged create') },
    ]);
  });

  it('does not flag a 404 before any create was acknowledged', () => {
    const history = [event({ op: 'get', id: B, status: 404, start: T0 }), event({ op: 'create', id: B, status: 201, start: T0 + 20, version: 0, state: 'created' })];
    expect(acknowledgedDurable(history, finalState([]))).toEqual([]);
  });
});
