import { MatrixRun, formatMatrix, summarize } from './mutation-matrix';

const run = (build: string, experiment: string, verdict: string | undefined, invariants: string[] = [], expected?: string): MatrixRun => ({
  build,
  experiment,
  verdict,
  invariants,
  expected,
});

describe('the mutation matrix', () => {
  const all: MatrixRun[] = [
    run('no-repair-sweep', 'sendmessage-fails', 'FAIL', ['nothing-lost', 'nothing-lost'], 'nothing-lost'),
    run('no-repair-sweep', 'sqs-outage', 'PASS', [], 'nothing-lost'),
    run('timestamped-processed-key', 'kill-worker', 'FAIL', ['drained'], 'nothing-duplicated'),
    run('real', 'sendmessage-fails', 'PASS'),
    run('real', 'sqs-outage', 'PASS'),
    run('real', 'kill-worker', 'PASS'),
  ];

  it('a mutant caught by any of its experiments counts as caught; the real build passing everything is ok', () => {
    const s = summarize(all);
    expect(s).toMatchObject({ mutants: 2, caught: ['no-repair-sweep', 'timestamped-processed-key'], missed: [], realCaughtBy: [], score: 1, ok: true });
    const text = formatMatrix(all);
    expect(text).toMatch(/no-repair-sweep\s+caught: nothing-lost\s+missed/);
    expect(text).toMatch(/caught: drained \(expected nothing-duplicated\)/);
    expect(text).toMatch(/mutation score: 2\/2 caught \(100 %\)/);
    expect(text).toMatch(/the real build: caught by none/);
    expect(text).toMatch(/^real\s+PASS\s+PASS\s+PASS$/m);
    expect(text.split('\n').findIndex((l) => l.startsWith('real'))).toBe(3); // the real build is the last row
  });

  it('is not ok when a mutant is missed everywhere', () => {
    const s = summarize([...all, run('no-state-condition', 'crash-between-update-and-send', 'PASS')]);
    expect(s).toMatchObject({ missed: ['no-state-condition'], ok: false });
    expect(s.score).toBeCloseTo(2 / 3);
    expect(formatMatrix([...all, run('no-state-condition', 'kill-api', 'PASS')])).toMatch(/2\/3 caught \(67 %\); missed: no-state-condition/);
  });

  it('is not ok when the real build is caught (a false alarm) or its run failed', () => {
    expect(summarize([...all.slice(0, 5), run('real', 'kill-worker', 'FAIL', ['monotonic'])])).toMatchObject({ realCaughtBy: ['kill-worker'], ok: false });
    expect(summarize([...all.slice(0, 5), run('real', 'kill-worker', undefined)])).toMatchObject({ realCaughtBy: ['kill-worker'], ok: false });
    expect(formatMatrix([...all.slice(0, 5), run('real', 'kill-worker', 'FAIL', ['monotonic'])])).toMatch(/REAL build was caught by .*kill-worker/);
    expect(formatMatrix([...all.slice(0, 5), run('real', 'kill-worker', 'FAIL', ['monotonic'])])).toMatch(/FALSE ALARM: monotonic/);
  });

  it('a mutant failing only what the real build failed in the same experiment is noise, not a catch', () => {
    const runs = [
      run('no-state-condition', 'crash-between-update-and-send', 'FAIL', ['drained'], 'monotonic'),
      run('processed-before-stored', 'crash-between-update-and-send', 'FAIL', ['drained', 'nothing-lost'], 'nothing-lost'),
      run('real', 'crash-between-update-and-send', 'FAIL', ['drained']),
    ];
    expect(summarize(runs)).toMatchObject({ caught: ['processed-before-stored'], missed: ['no-state-condition'], realCaughtBy: ['crash-between-update-and-send'], ok: false });
    expect(formatMatrix(runs)).toMatch(/no-state-condition\s+noise: drained \(as the real build\)/);
  });

  it('a mutant whose runs all failed is neither caught nor missed, and the matrix is not ok', () => {
    const s = summarize([run('no-repair-sweep', 'sendmessage-fails', undefined), run('real', 'sendmessage-fails', 'PASS')]);
    expect(s).toMatchObject({ caught: [], missed: [], errored: ['no-repair-sweep'], ok: false });
  });

  it('is not ok with no real-build run to compare against', () => {
    expect(summarize(all.filter((r) => r.build !== 'real')).ok).toBe(false);
  });
});
