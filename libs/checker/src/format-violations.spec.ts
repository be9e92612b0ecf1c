import { formatViolations } from './format-violations';
import type { Violation } from './violation';

describe('formatViolations', () => {
  it('says so when there is nothing to report', () => {
    expect(formatViolations([])).toBe('✓ no violations');
  });

  it('groups by invariant in the invariants order, lists ids, and caps each group with a count', () => {
    const lost = (i: number): Violation => ({ invariant: 'every-image-ends', ids: [`id-${i}`], message: `lost ${i}` });
    const violations: Violation[] = [
      { invariant: 'drained', ids: [], message: 'main queue not empty: 1 visible, 0 in flight, 0 delayed' },
      ...[1, 2, 3, 4].map(lost),
      { invariant: 'nothing-duplicated', ids: ['a', 'b'], message: 'two of them' },
    ];
    expect(formatViolations(violations, { maxPerGroup: 2 })).toBe(
      [
        '✗ every-image-ends: 4 violations, 4 ids',
        '  - [id-1] lost 1',
        '  - [id-2] lost 2',
        '  … and 2 more every-image-ends violation(s)',
        '✗ nothing-duplicated: 1 violation, 2 ids',
        '  - [a, b] two of them',
        '✗ drained: 1 violation',
        '  - main queue not empty: 1 visible, 0 in flight, 0 delayed',
      ].join('\n'),
    );
  });
});
