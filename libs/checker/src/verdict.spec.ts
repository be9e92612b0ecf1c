import type { HistoryEntry, WorkloadEntry } from '@imagery/history/history-entry';
import type { ActionEffect } from './action-effects';
import { T0, attempt, cleanRun, completeHistory, journey, nemesis, IDS } from '@imagery/testing/checker/run-builder';
import { historyFacts, verdictOf, formatVerdict, type VerdictInputs } from './verdict';

/** The history with its workload entries bent (the `start`'s or the `end`'s fields). */
const bend = (history: HistoryEntry[], phase: 'start' | 'end', fields: Partial<WorkloadEntry>): HistoryEntry[] =>
  history.map((e) => (e.type === 'workload' && e.phase === phase ? { ...e, ...fields } : e));
const KILLED: ActionEffect = { action: 'kill-api', actionId: 'aws:ec2:terminate-instances', kind: 'instance', fired: 1 };

describe('the verdict', () => {
  const [A] = IDS;
  /** Everything as it should be: a PASS. Each test bends one input. */
  const clean = (): VerdictInputs => ({
    check: { ok: true, violations: [] },
    history: historyFacts(cleanRun().history),
    thresholds: [{ name: 'p95 of successful requests < 500 ms', ok: true }],
    drain: { drained: true, waitedMs: 4_000 },
    faultsPlanned: true,
    faultEffects: [KILLED],
  });

  it('PASS only when the checker passed, the workload completed with a complete history, the drain completed and FIS completed', () => {
    expect(verdictOf(clean())).toEqual({ outcome: 'PASS', reasons: [] });
  });

  it('FAIL on a violation, naming the invariants', () => {
    const v = verdictOf({
      ...clean(),
      check: { ok: false, violations: [{ invariant: 'sepia' }, { invariant: 'sepia' }, { invariant: 'drained' }] },
    });
    expect(v).toEqual({
      outcome: 'FAIL',
      reasons: [{ condition: 'checker', outcome: 'FAIL', message: '3 violation(s): sepia 2, drained 1' }],
    });
  });

  it('false PASS fixed: a drain that timed out is not a PASS', () => {
    const v = verdictOf({ ...clean(), drain: { drained: false, waitedMs: 120_000, detail: '3 queued, 2 uploaded' } });
    expect(v.outcome).toBe('FAIL');
    expect(v.reasons).toEqual([
      { condition: 'drain', outcome: 'FAIL', message: 'the drain did not complete after 120 s (3 queued, 2 uploaded)' },
    ]);
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
    const v = verdictOf({
      ...clean(),
      history: historyFacts(history),
      check: { ok: false, violations: [{ invariant: 'nothing-duplicated' }] },
    });
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
    expect(v).toEqual({
      outcome: 'STOPPED',
      reasons: [{ condition: 'fis', outcome: 'STOPPED', message: `the FIS experiment was stopped early: ${reason}` }],
    });
  });

  it('a failed or never-ended experiment is INCOMPLETE; a run without planned faults needs none', () => {
    const noFis = { ...historyFacts(cleanRun().history), fis: undefined };
    expect(verdictOf({ ...clean(), history: noFis }).outcome).toBe('INCOMPLETE');
    expect(verdictOf({ ...clean(), history: noFis, faultsPlanned: false }).outcome).toBe('PASS');
    expect(
      verdictOf({ ...clean(), history: { ...noFis, fis: { state: 'failed', reason: 'target matched nothing' } } }).reasons[0].message,
    ).toBe('the FIS experiment ended failed: target matched nothing, not completed');
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
    expect(historyFacts(cleanRun().history)).toEqual({
      workloadStarted: true,
      workloadOutcome: 'completed',
      openInvocations: 0,
      orphanCompletions: 0,
      fis: { state: 'completed' },
      faultEffects: [],
    });
    const orphan = completeHistory(attempt({ op: 'get', id: A, at: T0, type: 'ok' }).slice(1));
    expect(historyFacts(orphan)).toMatchObject({ orphanCompletions: 1 });
    expect(verdictOf({ ...clean(), history: historyFacts([]) }).reasons.map((r) => r.message)).toEqual([
      'the history has no workload start',
      expect.stringContaining('no workload end'),
      'no FIS experiment in the history: the faults were never recorded as started',
    ]);
  });

  describe('a chaos verdict needs chaos: fault actions that had no effect', () => {
    const cut: ActionEffect = { action: 'cut-a', actionId: 'aws:network:disrupt-connectivity', kind: 'network', fired: 0 };

    it('false PASS fixed: a completed experiment with a fault action that fired zero times is INCONCLUSIVE, naming it', () => {
      expect(verdictOf({ ...clean(), faultEffects: [KILLED, cut] })).toEqual({
        outcome: 'INCONCLUSIVE',
        reasons: [
          {
            condition: 'faults',
            outcome: 'INCONCLUSIVE',
            message:
              'fault action cut-a (aws:network:disrupt-connectivity) had no effect: ' +
              'no toxic or cut proxy was seen in place in Toxiproxy during it',
          },
        ],
      });
      const api = { action: 'errors', actionId: 'aws:fis:inject-api-internal-error', kind: 'api' as const, fired: 0 };
      expect(verdictOf({ ...clean(), faultEffects: [api] }).reasons[0].message).toBe(
        'fault action errors (aws:fis:inject-api-internal-error) had no effect: no instance injected a fault of its rule',
      );
      expect(verdictOf({ ...clean(), faultEffects: [{ ...KILLED, fired: 0 }] }).reasons[0].message).toBe(
        'fault action kill-api (aws:ec2:terminate-instances) had no effect: no instance was terminated, stopped or died during it',
      );
    });

    it('false PASS fixed: an experiment with no fault action at all is INCONCLUSIVE', () => {
      expect(verdictOf({ ...clean(), faultEffects: [] }).reasons).toEqual([
        {
          condition: 'faults',
          outcome: 'INCONCLUSIVE',
          message: 'the experiment ran no fault action with an effect to observe: nothing was tested under faults',
        },
      ]);
    });

    it('ranks above PASS and STOPPED, below a violation (real evidence) and INCOMPLETE; a baseline needs no faults', () => {
      const none = { ...clean(), faultEffects: [cut] };
      expect(verdictOf({ ...none, check: { ok: false, violations: [{ invariant: 'sepia' }] } }).outcome).toBe('FAIL');
      expect(verdictOf({ ...none, history: { ...clean().history, fis: { state: 'stopped' } } }).outcome).toBe('INCONCLUSIVE');
      expect(verdictOf({ ...none, history: { ...clean().history, fis: { state: 'failed' } } }).outcome).toBe('INCOMPLETE');
      expect(verdictOf({ ...none, faultsPlanned: false }).outcome).toBe('PASS');
    });

    it('judgeRun has them from the history: historyFacts computes the fault effects', () => {
      const history = completeHistory([
        nemesis(T0, {
          kind: 'fis-action',
          phase: 'start',
          experimentId: 'EXP1',
          action: 'kill-api',
          actionId: 'aws:ec2:terminate-instances',
        }),
        ...journey(A),
        nemesis(T0 + 500, { kind: 'instance', phase: 'terminated', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 }),
        nemesis(T0 + 1_000, {
          kind: 'fis-action',
          phase: 'end',
          experimentId: 'EXP1',
          action: 'kill-api',
          actionId: 'aws:ec2:terminate-instances',
        }),
      ]);
      expect(historyFacts(history).faultEffects).toEqual([KILLED]);
    });
  });

  describe('thresholds the workload recorded in its `end`', () => {
    const recorded = [
      { metric: 'journey_failed', expression: 'rate<=0.01', ok: false, value: 0.2 },
      { metric: 'checks', expression: 'rate>=0.99', ok: false },
      { metric: 'http_req_duration{expected_response:true,op:get}', expression: 'p(95)<1000', ok: false, value: 4000 },
    ];
    const withEnd = (fields: Partial<WorkloadEntry>, start: Partial<WorkloadEntry> = { thresholdCount: 3 }) =>
      historyFacts(bend(bend(cleanRun().history, 'end', fields), 'start', start));

    it('false PASS fixed: judged from the history when the runner passes none (the checker CLI); latency is reported, not judged', () => {
      const v = verdictOf({ ...clean(), thresholds: undefined, history: withEnd({ thresholds: recorded }) });
      expect(v.outcome).toBe('FAIL');
      expect(v.reasons).toEqual([
        { condition: 'thresholds', outcome: 'FAIL', message: 'threshold journey_failed: rate<=0.01 crossed: value 0.2' },
        { condition: 'thresholds', outcome: 'FAIL', message: 'threshold checks: rate>=0.99 crossed: no samples' },
      ]);
      expect(verdictOf({ ...clean(), thresholds: undefined, history: withEnd({ thresholds: recorded.slice(2) }) }).outcome).toBe('PASS');
    });

    it('false PASS fixed: an `end` without the thresholds the `start` announced is INCOMPLETE', () => {
      const v = verdictOf({ ...clean(), history: withEnd({}) });
      expect(v.outcome).toBe('INCOMPLETE');
      expect(v.reasons).toEqual([
        {
          condition: 'thresholds',
          outcome: 'INCOMPLETE',
          message: 'the workload announced 3 threshold(s) but its end records none: they were never evaluated',
        },
      ]);
      expect(verdictOf({ ...clean(), history: withEnd({ thresholds: [] }, { thresholdCount: 0 }) }).outcome).toBe('PASS');
    });

    it('an aborted workload says why', () => {
      const reason = "the workload's thresholds or summary could not be computed: boom";
      const v = verdictOf({ ...clean(), history: withEnd({ outcome: 'aborted', reason }) });
      expect(v.outcome).toBe('INCOMPLETE');
      expect(v.reasons.map((r) => r.message)).toContain(`the workload was aborted (${reason}): it did not run its course`);
    });
  });

  it('prints every failed condition', () => {
    const text = formatVerdict(
      verdictOf({ ...clean(), drain: { drained: false, waitedMs: 60_000 }, thresholds: [{ name: 'checks', ok: false }] }),
    );
    expect(text).toBe(
      ['verdict: FAIL', '  - thresholds (FAIL): threshold checks crossed', '  - drain (FAIL): the drain did not complete after 60 s'].join(
        '\n',
      ),
    );
    expect(formatVerdict(verdictOf(clean()))).toMatch(/^verdict: PASS/);
    expect(formatVerdict(verdictOf({ ...clean(), faultEffects: [] }))).toMatch(
      /^verdict: INCONCLUSIVE\n {2}- faults \(INCONCLUSIVE\): the experiment ran no fault action/,
    );
  });
});
