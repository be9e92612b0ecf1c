import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../load/engine/duration';
import { DEFAULT_SHRINK_BUDGET_MS } from './shrink-budget';

export const SHRINK_USAGE = `usage: npm run chaos -- shrink <report.json> [--budget 15m] [--invariant NAME] [--out DIR]
  reduces a failing run's faults, journeys, warm-up and tail to a 1-minimal run that fails with the same
  invariants, rerunning each candidate; writes the minimal run (a local FIS template and a replayable report)
  --budget D      stop by then with the smallest failing run found so far (default 15m; e.g. 90s, 1h, 1m30s)
  --invariant N   keep only this violated invariant (default: the run's whole set of violated invariants)
  --confirm N     a candidate counts as failing once it failed the same N runs in a row (default 1)
  --out DIR       where to write (default: shrink-<time> beside the report)
exit code: 0 1-minimal run written; 1 the failure did not reproduce; 2 could not run; 3 the budget ended first
(the smallest failing run found is written, not proven 1-minimal)`;

/** What `shrink` was asked to do. */
export interface ShrinkRequest {
  readonly reportPath: string;
  readonly budgetMs: number;
  readonly invariant?: string;
  /** Runs in a row a candidate must fail the same to count (`--confirm`, default 1). */
  readonly confirmations: number;
  readonly outDir: string;
}

/** `shrink`'s arguments (those after the word `shrink`); throws with the reason on a bad one. */
export function parseShrinkArgs(args: readonly string[], now = new Date()): ShrinkRequest {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { budget: { type: 'string' }, invariant: { type: 'string' }, confirm: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(`shrink takes one report.json, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const [reportPath] = positionals;
  const budgetMs = values.budget === undefined ? DEFAULT_SHRINK_BUDGET_MS : parseDuration(values.budget);
  if (!(budgetMs > 0)) throw new Error(`--budget must be longer than 0; got ${values.budget}`);
  const confirmations = Number(values.confirm ?? '1');
  if (!Number.isInteger(confirmations) || confirmations < 1) throw new Error(`--confirm must be a whole number ≥ 1; got ${values.confirm}`);
  if (values.invariant === '') throw new Error('--invariant needs a name (e.g. nothing-lost)');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    reportPath,
    budgetMs,
    ...(values.invariant !== undefined ? { invariant: values.invariant } : {}),
    confirmations,
    outDir: values.out ?? join(dirname(reportPath), `shrink-${stamp}`),
  };
}
