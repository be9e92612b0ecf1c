import { MatrixRun, formatMatrix, runOutcome, summarizeMatrix } from './mutation-matrix';

type Verdict = string | undefined;
const run = (
  build: string,
  experiment: string,
  verdict: Verdict,
  invariants: string[] = [],
  expected?: string,
  reasons: string[] = [],
): MatrixRun => ({ build, experiment, verdict, invariants, expected, reasons });
const real = (experiment: string, verdict: Verdict = 'PASS', reasons: string[] = []): MatrixRun =>
  run('real', experiment, verdict, [], undefined, reasons);
const DRAIN = 'drain: the drain did not complete after 60 s (3 queued, 2 uploaded)';
const THRESHOLD = 'thresholds: threshold journey_failed: rate<=0.01 crossed';

describe('one run of an adversary', () => {
  it('is killed only by a FAIL whose violations name the invariant it was written to break', () => {
    expect(runOutcome(run('m', 'kill-api', 'FAIL', ['acknowledged-durable', 'drained'], 'acknowledged-durable'))).toBe('killed');
    expect(runOutcome(run('m', 'kill-api', 'FAIL', ['drained'], 'acknowledged-durable'))).toBe('other');
    expect(runOutcome(run('m', 'kill-api', 'FAIL', [], 'acknowledged-durable', [DRAIN]))).toBe('other');
    expect(runOutcome(run('m', 'kill-api', 'STOPPED', [], 'acknowledged-durable'))).toBe('other');
    expect(runOutcome(run('m', 'kill-api', 'PASS', [], 'acknowledged-durable'))).toBe('survived');
  });

  it('is a runtime error when the run broke or its verdict cannot judge it (INCOMPLETE, INCONCLUSIVE), whatever it names', () => {
    const broke = { ...run('m', 'kill-api', undefined, [], 'monotonic'), error: 'Error: platform did not start' };
    expect(runOutcome(broke)).toBe('runtime-error');
    expect(runOutcome(run('m', 'kill-api', 'INCOMPLETE', ['monotonic'], 'monotonic'))).toBe('runtime-error');
    expect(runOutcome(run('m', 'kill-api', 'INCONCLUSIVE', [], 'monotonic'))).toBe('runtime-error');
  });
});

/** Two mutants, each killed by one of its catchers, and the real build passing every experiment. */
const all: MatrixRun[] = [
  run('no-repair-sweep', 'sendmessage-fails', 'FAIL', ['every-image-ends', 'every-image-ends'], 'every-image-ends'),
  run('no-repair-sweep', 'sqs-outage', 'PASS', [], 'every-image-ends'),
  run('seed', 'kill-worker', 'FAIL', ['nothing-duplicated'], 'nothing-duplicated'),
  real('sendmessage-fails'),
  real('sqs-outage'),
  real('kill-worker'),
];

describe('the mutation matrix: what counts as a kill', () => {
  it('a mutant killed by any of its catchers counts; the real build passing everything is ok', () => {
    const s = summarizeMatrix(all);
    expect(s).toMatchObject({ mutants: 2, killed: ['no-repair-sweep', 'seed'], survived: [], runtimeErrors: [], realFailed: [], score: 1 });
    expect(s.ok).toBe(true);
    const text = formatMatrix(all);
    expect(text).toMatch(/no-repair-sweep\s+killed: every-image-ends\s+survived\s/);
    expect(text).toMatch(/mutation score: 2\/2 killed \(100 %\)/);
    expect(text).toMatch(/the real build: PASS in every experiment/);
    expect(text).toMatch(/^real\s+PASS\s+PASS\s+PASS$/m);
    expect(text.split('\n').findIndex((l) => l.startsWith('real'))).toBe(3); // the real build is the last row
  });

  it('a catch by a drain timeout alone is not a kill: it scores 0 % and is reported apart with its reason', () => {
    const runs = [run('timestamped-processed-key', 'kill-worker', 'FAIL', [], 'nothing-duplicated', [DRAIN]), real('kill-worker')];
    const s = summarizeMatrix(runs);
    expect(s).toMatchObject({ mutants: 1, killed: [], survived: ['timestamped-processed-key'], score: 0, ok: false });
    expect(s.otherCatches).toEqual([{ build: 'timestamped-processed-key', experiment: 'kill-worker', reason: DRAIN }]);
    const text = formatMatrix(runs);
    expect(text).toMatch(/mutation score: 0\/1 killed \(0 %\)/);
    expect(text).toMatch(/timestamped-processed-key\s+failed for another reason: drain/);
    expect(text).toMatch(/other catches \(not counted\):\n {2}timestamped-processed-key × kill-worker: drain: the drain did not complete/);
  });

  it('a catch by another invariant, a threshold or a stop is reported apart, not counted', () => {
    const runs = [
      run('copy-not-sepia', 'kill-worker', 'FAIL', ['nothing-duplicated'], 'sepia', ['checker: 1 violation(s): nothing-duplicated 1']),
      run('copy-not-sepia', 's3-connection-reset', 'STOPPED', [], 'sepia', ['fis: the FIS experiment was stopped early']),
      run('no-repair-sweep', 'sendmessage-fails', 'FAIL', [], 'every-image-ends', [THRESHOLD]),
      real('kill-worker'),
      real('s3-connection-reset'),
      real('sendmessage-fails'),
    ];
    const s = summarizeMatrix(runs);
    expect(s).toMatchObject({ killed: [], survived: ['copy-not-sepia', 'no-repair-sweep'], score: 0, ok: false });
    expect(s.otherCatches.map((c) => `${c.build} × ${c.experiment}: ${c.reason}`)).toEqual([
      'copy-not-sepia × kill-worker: nothing-duplicated (expected sepia)',
      'copy-not-sepia × s3-connection-reset: STOPPED: fis: the FIS experiment was stopped early',
      `no-repair-sweep × sendmessage-fails: ${THRESHOLD}`,
    ]);
    expect(formatMatrix(runs)).toMatch(/copy-not-sepia\s+failed for another reason: nothing-duplicated \(expected sepia\)/);
  });

  it('a mutant whose catchers broke is a runtime error: neither killed nor survived, and not ok', () => {
    const runs = [
      { ...run('no-repair-sweep', 'sendmessage-fails', undefined, [], 'every-image-ends'), error: 'Error: emulator down' },
      run('ack-before-durable', 'kill-api', 'INCONCLUSIVE', [], 'acknowledged-durable'),
      real('sendmessage-fails'),
      real('kill-api'),
    ];
    const s = summarizeMatrix(runs);
    expect(s).toMatchObject({ killed: [], survived: [], runtimeErrors: ['no-repair-sweep', 'ack-before-durable'], score: 0, ok: false });
    expect(formatMatrix(runs)).toMatch(/no-repair-sweep\s+ERROR: Error: emulator down/);
    expect(formatMatrix(runs)).toMatch(/ack-before-durable\s+\S+\s+INCONCLUSIVE/);
  });
});

describe('the mutation matrix: when it is ok', () => {
  it('a kill in one catcher outweighs another catcher that broke', () => {
    const runs = [
      run('ack-before-durable', 'kill-api', 'INCOMPLETE', [], 'acknowledged-durable'),
      run('ack-before-durable', 'crash-between-update-and-send', 'FAIL', ['acknowledged-durable'], 'acknowledged-durable'),
      real('kill-api'),
      real('crash-between-update-and-send'),
    ];
    expect(summarizeMatrix(runs)).toMatchObject({ killed: ['ack-before-durable'], runtimeErrors: [], ok: true });
  });

  it('is not ok when a mutant survives everywhere', () => {
    const s = summarizeMatrix([...all, run('no-state-condition', 'crash-between-update-and-send', 'PASS', [], 'monotonic')]);
    expect(s).toMatchObject({ survived: ['no-state-condition'], ok: false });
    expect(s.score).toBeCloseTo(2 / 3);
    const text = formatMatrix([...all, run('no-state-condition', 'kill-api', 'PASS')]);
    expect(text).toMatch(/2\/3 killed \(67 %\); survived: no-state-condition/);
  });

  it('is not ok when the real build does not PASS an experiment, whatever the reason', () => {
    const failing = [...all.slice(0, 5), run('real', 'kill-worker', 'FAIL', ['monotonic'])];
    expect(summarizeMatrix(failing)).toMatchObject({ realFailed: ['kill-worker'], ok: false });
    expect(summarizeMatrix([...all.slice(0, 5), real('kill-worker', 'FAIL', [DRAIN])])).toMatchObject({
      realFailed: ['kill-worker'],
      ok: false,
    });
    expect(summarizeMatrix([...all.slice(0, 5), real('kill-worker', 'STOPPED')])).toMatchObject({ realFailed: ['kill-worker'], ok: false });
    const broke = { ...run('real', 'kill-worker', undefined), error: 'Error: HAProxy did not start' };
    expect(summarizeMatrix([...all.slice(0, 5), broke])).toMatchObject({ realFailed: ['kill-worker'], ok: false });
    expect(formatMatrix(failing)).toMatch(/the REAL build did not PASS kill-worker/);
    expect(formatMatrix(failing)).toMatch(/^real\s+PASS\s+PASS\s+FAIL: monotonic$/m);
  });

  it('is not ok with no real-build run to compare against', () => {
    expect(summarizeMatrix(all.filter((r) => r.build !== 'real')).ok).toBe(false);
  });
});
