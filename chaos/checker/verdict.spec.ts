import { T0, attempt, cleanRun, completeHistory, journey, IDS } from './test/run-builder';
import { historyFacts, verdictOf, formatVerdict, type VerdictInputs } from './verdict';

describe('the verdict', () => {
  const [A] = IDS;
  /** Everything as it should be: a PASS. Each test bends one input. */
  const clean = (): VerdictInputs => ({
    check: { ok: true, violations: [] },
    history: historyFacts(cleanRun().history),
    thresholds: [{ name: 'p95 of successful requests < 500 ms', ok: true }],
    drain: { drained: true, waitedMs: 4_000 },
    faultsPlanned: true,
  });

  it('PASS only when the checker passed, the workload completed with a complete history, the drain completed and FIS completed', () => {
    expect(verdictOf(clean())).toEqual({ outcome: 'PASS', reasons: [] });
  });

  it('FAIL on a violation, naming the invariants', () => {
    const v = verdictOf({ ...clean(), check: { ok: false, violations: [{ invariant: 'sepia' }, { invariant: 'sepia' }, { invariant: 'drained' }] } });
    expect(v).toEqual({ outcome: 'FAIL', reasons: [{ condition: 'checker', outcome: 'FAIL', message: '3 violation(s): sepia 2, drained 1' }] });
  });

  it('false PASS fixed: a drain that timed out is not a PASS', () => {
    const v = verdictOf({ ...clean(), drain: { drained: false, waitedMs: 120_000, detail: '3 queued, 2 uploaded' } });
    expect(v.outcome).toBe('FAIL');
    expect(v.reasons).toEqual([{ condition: 'drain', outcome: 'FAIL', message: 'the drain did not complete after 120 s (3 queued, 2 uploaded)' }]);
  });

  it('false PASS fixed: a history cut short (no workload end) is INCOMPLETE, even with a clean check', () => {
    const history = completeHistory(journey(A), { end: false });
    const v = verdictOf({ ...clean(), history: historyFacts(history) });
    expect(v.outcome).toBe('INCOMPLETE');
    expect(v.reasons.map((r) => r.condition)).toEqual(['workload']);
    expect(v.reasons[0].message).toContain('no workload end');
  });

  it('false PASS fixed: an invocation without a completion is INCOMPLETE, and outranks a FAIL', () => {
    const history = completeHistory([...journey(A), ...attempt({ op: 'get', id: A, at: T0 + 5_000, type: 'open' })]);
    const v = verdictOf({ ...clean(), history: historyFacts(history), check: { ok: false, violations: [{ invariant: 'nothing-duplicated' }] } });
    expect(v.outcome).toBe('INCOMPLETE');
    expect(v.reasons.map((r) => [r.condition, r.outcome])).toEqual([
      ['workload', 'INCOMPLETE'],
      ['checker', 'FAIL'],
    ]);
    expect(v.reasons[0].message).toBe('1 invocation(s) without a completion: the history is cut short');
  });

  it('false PASS fixed: a FIS experiment stopped by a stop condition is STOPPED, with the reason', () => {
    const history = completeHistory(journey(A), { fisState: 'stopped' });
    const facts = historyFacts(history);
    expect(facts.fis).toEqual({ state: 'stopped' });
    const reason = 'Stop condition triggered: alarm imagery-dlq-not-empty is in ALARM (1)';
    const v = verdictOf({ ...clean(), history: { ...facts, fis: { state: 'stopped', reason } } });
    expect(v).toEqual({ outcome: 'STOPPED', reasons: [{ condition: 'fis', outcome: 'STOPPED', message: `the FIS experiment was stopped early: ${reason}` }] });
  });

  it('a failed or never-ended experiment is INCOMPLETE; a run without planned faults needs none', () => {
    const noFis = { ...historyFacts(cleanRun().history), fis: undefined };
    expect(verdictOf({ ...clean(), history: noFis }).outcome).toBe('INCOMPLETE');
    expect(verdictOf({ ...clean(), history: noFis, faultsPlanned: false }).outcome).toBe('PASS');
    expect(verdictOf({ ...clean(), history: { ...noFis, fis: { state: 'failed', reason: 'target matched nothing' } } }).reasons[0].message).toBe(
      'the FIS experiment ended failed: target matched nothing, not completed',
    );
    expect(verdictOf({ ...clean(), history: { ...noFis, fis: { state: 'running' } } }).outcome).toBe('INCOMPLETE');
  });

  it('workload thresholds: a crossed one is a FAIL naming it; one that aborted the workload too', () => {
    const crossed = [{ name: 'p99 of successful requests < 1000 ms', ok: false, detail: 'p99 = 1430 ms' }];
    expect(verdictOf({ ...clean(), thresholds: crossed }).reasons).toEqual([
      { condition: 'thresholds', outcome: 'FAIL', message: 'threshold p99 of successful requests < 1000 ms crossed: p99 = 1430 ms' },
    ]);
    const aborted = historyFacts(completeHistory(journey(A), { outcome: 'aborted' }));
    const v = verdictOf({ ...clean(), history: aborted, thresholds: crossed });
    expect(v.outcome).toBe('FAIL');
    expect(v.reasons.map((r) => r.condition)).toEqual(['workload', 'thresholds']);
    // aborted with every threshold holding: a signal, the load did not run its course
    expect(verdictOf({ ...clean(), history: aborted }).outcome).toBe('INCOMPLETE');
  });

  it('reads the facts off the history', () => {
    expect(historyFacts(cleanRun().history)).toEqual({ workloadStarted: true, workloadOutcome: 'completed', openInvocations: 0, orphanCompletions: 0, fis: { state: 'completed' } });
    const orphan = completeHistory(attempt({ op: 'get', id: A, at: T0, type: 'ok' }).slice(1));
    expect(historyFacts(orphan)).toMatchObject({ orphanCompletions: 1 });
    expect(verdictOf({ ...clean(), history: historyFacts([]) }).reasons.map((r) => r.message)).toEqual([
      'the history has no workload start',
      expect.stringContaining('no workload end'),
      'no FIS experiment in the history: the faults were never recorded as started',
    ]);
  });

  it('prints every failed condition', () => {
    const text = formatVerdict(verdictOf({ ...clean(), drain: { drained: false, waitedMs: 60_000 }, thresholds: [{ name: 'checks', ok: false }] }));
    expect(text).toBe(['verdict: FAIL', '  - thresholds (FAIL): threshold checks crossed', '  - drain (FAIL): the drain did not complete after 60 s'].join('\n'));
    expect(formatVerdict(verdictOf(clean()))).toMatch(/^verdict: PASS/);
  });
});
