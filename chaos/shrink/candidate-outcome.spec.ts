import { classifyRun, sameFailure } from './candidate-outcome';

describe('sameFailure', () => {
  it('compares the violated invariant names as sets', () => {
    expect(sameFailure({ invariants: ['nothing-lost', 'drained'] }, { invariants: ['drained', 'nothing-lost', 'drained'] })).toBe(true);
    expect(sameFailure({ invariants: ['nothing-lost'] }, { invariants: ['nothing-lost', 'drained'] })).toBe(false);
    expect(sameFailure({ invariants: ['nothing-lost'] }, { invariants: ['monotonic'] })).toBe(false);
  });

  it('never calls two runs that violated nothing the same failure', () => {
    expect(sameFailure({ invariants: [] }, { invariants: [] })).toBe(false);
  });
});

describe('classifyRun', () => {
  const target = { invariants: ['nothing-lost'] };

  it('counts only a FAIL with the same invariants as failing the same', () => {
    expect(classifyRun({ outcome: 'FAIL', invariants: ['nothing-lost'] }, target)).toBe('fails-same');
    expect(classifyRun({ outcome: 'FAIL', invariants: ['nothing-lost', 'drained'] }, target)).toBe('fails-differently');
    expect(classifyRun({ outcome: 'FAIL', invariants: [] }, target)).toBe('fails-differently');
    expect(classifyRun({ outcome: 'PASS', invariants: [] }, target)).toBe('passes');
  });

  it('calls a run that cannot be judged inconclusive, whatever it violated', () => {
    for (const outcome of ['INCONCLUSIVE', 'INCOMPLETE', 'STOPPED', 'ERROR'] as const)
      expect(classifyRun({ outcome, invariants: ['nothing-lost'] }, target)).toBe('inconclusive');
  });

  it('with one invariant to keep, accepts any FAIL that violates it', () => {
    const only = { invariants: ['nothing-lost', 'drained'], only: 'nothing-lost' };
    expect(classifyRun({ outcome: 'FAIL', invariants: ['nothing-lost'] }, only)).toBe('fails-same');
    expect(classifyRun({ outcome: 'FAIL', invariants: ['monotonic', 'nothing-lost'] }, only)).toBe('fails-same');
    expect(classifyRun({ outcome: 'FAIL', invariants: ['drained'] }, only)).toBe('fails-differently');
  });
});
