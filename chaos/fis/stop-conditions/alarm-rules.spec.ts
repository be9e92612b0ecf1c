import { gaugeAbove, rateAbove } from './alarm-rules';

const sample = (name: string, labels: Record<string, string>, value: number) => ({ name, labels, value });

describe('alarm rules', () => {
  it('gaugeAbove with sinceLowest alarms on a rise during the experiment, not on what was there before it', () => {
    const alarm = gaugeAbove({ metric: 'q', labels: { queue: 'dlq' }, threshold: 0, aggregate: 'max', sinceLowest: true })();
    const at = (value: number) => [{ name: 'q', labels: { queue: 'dlq' }, value }];
    expect(alarm.evaluate(at(3), 0).state).toBe('OK'); // three old dead letters: the baseline
    expect(alarm.evaluate(at(3), 1000).state).toBe('OK');
    expect(alarm.evaluate(at(4), 2000).state).toBe('ALARM'); // one more during the experiment
  });

  it('gaugeAbove aggregates matching samples and has no data without them', () => {
    const alarm = gaugeAbove({ metric: 'q', labels: { queue: 'dlq' }, threshold: 2, aggregate: 'sum' })();
    expect(alarm.evaluate([], 0).state).toBe('INSUFFICIENT_DATA');
    expect(alarm.evaluate([sample('q', { queue: 'dlq' }, 1), sample('q', { queue: 'main' }, 50)], 0).state).toBe('OK');
    expect(alarm.evaluate([sample('q', { queue: 'dlq' }, 1), sample('q', { queue: 'dlq', instance: 'b' }, 2)], 0).state).toBe('ALARM');
  });

  it('rateAbove matches labels by regex, handles counter resets and slides its window', () => {
    const alarm = rateAbove({ metric: 'c', labels: { status: /5../ }, windowMs: 3_000, threshold: 1 })();
    const at = (t: number, value: number, status = '500') =>
      alarm.evaluate([sample('c', { status }, value), sample('c', { status: '200' }, 10_000 * t)], t * 1000);
    expect(at(0, 100).state).toBe('INSUFFICIENT_DATA'); // baseline
    expect(at(1, 101).state).toBe('INSUFFICIENT_DATA'); // +1, less than a window observed
    expect(at(3, 103).state).toBe('OK'); // window (0,3]: +1 +2 = 1/s, not above 1/s
    expect(at(4, 0).state).toBe('OK'); // a restarted instance: the counter went down, +0; (1,4]: +2 = 0.67/s
    const verdict = at(5, 5); // +5 since the reset; (2,5]: +2 +0 +5 = 2.33/s
    expect(verdict.state).toBe('ALARM');
    expect(verdict.reason).toMatch(/rate\(c\[3s\]\) = 2\.33\/s/);
    expect(at(9, 5).state).toBe('OK'); // the burst slid out of the window
  });
});
