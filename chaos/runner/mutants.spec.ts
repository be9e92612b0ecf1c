import { type AdversaryDefinition, MUTANTS, SEED } from '@imagery/adversaries';
import { INVARIANT_ORDER } from '@imagery/checker/invariants';
import { experimentTemplateNames } from '../experiments/load-experiment-template';
import { summarizeMatrix } from './mutation-matrix';
import { type BuildCatcher, type BuildResult, catcherLabel, mutantsExitCode, scheduleMatrix } from './mutants';
import type { ExperimentRunResult } from './experiment/run-options';

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

  describe('the schedule: each adversary until killed, then the real build on what they ran', () => {
    const adversary = (name: string, experiments: string[]): AdversaryDefinition => ({
      name,
      description: name,
      catchers: experiments.map((experiment) => ({ experiment, invariant: 'sepia' })),
      build: {},
    });
    /** A run's result as the matrix reads it: the verdict and the invariants its violations name. */
    const result = (outcome: string, invariants: string[] = []) =>
      ({
        report: { verdict: { outcome, reasons: [] }, check: { violations: invariants.map((invariant) => ({ invariant })) } },
      }) as unknown as ExperimentRunResult;
    /** `a` is killed by its first catcher; `b` survives its first and is killed by its second. */
    const fakeRun = async (build: string, catcher: BuildCatcher): Promise<BuildResult> => {
      const killing =
        (build === 'mutant:a' && catcher.experiment === 'kill-api') || (build === 'mutant:b' && catcher.experiment === 'storm');
      return Promise.resolve({ experiment: catcherLabel(catcher), result: killing ? result('FAIL', ['sepia']) : result('PASS') });
    };
    const calls = (runs: { build: string; experiment: string }[]) => runs.map((r) => `${r.build} × ${r.experiment}`);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    afterAll(() => log.mockRestore());

    it('stops an adversary at its first kill, and the real build runs each experiment an adversary ran, once', async () => {
      const runs = await scheduleMatrix([adversary('a', ['kill-api', 'kill-worker']), adversary('b', ['kill-api', 'storm'])], fakeRun, {
        everyCatcher: false,
      });
      expect(calls(runs)).toEqual(['a × kill-api', 'b × kill-api', 'b × storm', 'real × kill-api', 'real × storm']);
      expect(summarizeMatrix(runs)).toMatchObject({ killed: ['a', 'b'], score: 1, realFailed: [] });
    });

    it('runs every catcher with everyCatcher, and the real build against all of them', async () => {
      const runs = await scheduleMatrix([adversary('a', ['kill-api', 'kill-worker'])], fakeRun, { everyCatcher: true });
      expect(calls(runs)).toEqual(['a × kill-api', 'a × kill-worker', 'real × kill-api', 'real × kill-worker']);
    });

    it('the registered catchers, each first one killing, make 11 adversary runs and 7 of the real build', async () => {
      // The real build runs each experiment an adversary ran: the catcher orders put first, where an
      // adversary can, an experiment another one needs anyway (the seed and raw-key-not-content-addressed).
      const firstKills = async (build: string, catcher: BuildCatcher): Promise<BuildResult> => {
        const adversary = [SEED, ...MUTANTS].find((a) => (a.name === SEED.name ? 'seed' : `mutant:${a.name}`) === build);
        const killing = adversary !== undefined && catcherLabel(adversary.catchers[0]) === catcherLabel(catcher);
        const invariant = adversary?.catchers[0].invariant ?? 'sepia';
        return Promise.resolve({
          experiment: catcherLabel(catcher),
          result: build === 'real' ? result('PASS') : killing ? result('FAIL', [invariant]) : result('PASS'),
        });
      };
      const runs = await scheduleMatrix([SEED, ...MUTANTS], firstKills, { everyCatcher: false });
      expect(runs.filter((r) => r.build !== 'real')).toHaveLength(11);
      expect(runs.filter((r) => r.build === 'real').map((r) => r.experiment)).toEqual([
        'crash-between-update-and-send',
        'crash-between-render-and-record',
        'sendmessage-fails',
        's3-disrupt-connectivity',
        'kill-worker',
        'dynamodb-latency (rivalUploadShare 0.2)',
        'kill-api (lateCreateShare 0.2)',
      ]);
      expect(summarizeMatrix(runs)).toMatchObject({ score: 1, realFailed: [] });
    });

    it('keeps running the catchers of an adversary none has killed: a survivor is judged on all of them', async () => {
      const runs = await scheduleMatrix([adversary('c', ['kill-api', 'storm'])], fakeRun, { everyCatcher: false });
      expect(calls(runs)).toEqual(['c × kill-api', 'c × storm', 'real × kill-api', 'real × storm']);
      expect(summarizeMatrix(runs).survived).toEqual(['c']);
    });
  });
});
