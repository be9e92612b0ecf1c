import { MUTANTS, SEED } from '@imagery/adversaries';
import { INVARIANT_ORDER } from '@imagery/checker/invariants';
import { experimentTemplateNames } from '../experiments/load-experiment-template';
import { summarizeMatrix } from './mutation-matrix';
import { catcherLabel, mutantsExitCode } from './mutants';

describe('npm run chaos -- mutants', () => {
  it('every catcher of the seed build and the mutants names a known experiment and an invariant the checker names', () => {
    for (const adversary of [SEED, ...MUTANTS]) {
      for (const c of adversary.catchers) {
        expect(experimentTemplateNames()).toContain(c.experiment);
        expect(INVARIANT_ORDER).toContain(c.invariant);
      }
    }
  });

  it('labels a catcher by its experiment, and by the workload knobs it adds', () => {
    expect(catcherLabel({ experiment: 'kill-api' })).toBe('kill-api');
    expect(catcherLabel({ experiment: 'kill-api', workload: { lateCreateShare: 0.2 } })).toBe('kill-api (lateCreateShare 0.2)');
  });

  it('exits 1 below --break or when the real build did not PASS, 0 otherwise', () => {
    const run = (build: string, verdict: string, invariants: string[] = [], expected?: string) => ({
      build,
      experiment: 'kill-api',
      verdict,
      invariants,
      expected,
    });
    const half = summarizeMatrix([run('a', 'FAIL', ['monotonic'], 'monotonic'), run('b', 'PASS', [], 'monotonic'), run('real', 'PASS')]);
    expect(mutantsExitCode(half, 100)).toBe(1);
    expect(mutantsExitCode(half, 50)).toBe(0);
    const falseAlarm = summarizeMatrix([run('a', 'FAIL', ['monotonic'], 'monotonic'), run('real', 'FAIL', ['monotonic'])]);
    expect(mutantsExitCode(falseAlarm, 0)).toBe(1);
  });
});
