import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAwsClients, envBoolean } from '@imagery/aws-adapters';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { type CheckResult, checkHistory } from '@imagery/checker/check-history';
import { formatStats } from '@imagery/checker/format-stats';
import { formatViolations } from '@imagery/checker/format-violations';
import { readFinalState } from '@imagery/checker/final-state';
import { readHistoryFile } from '@imagery/history/history-file';
import { s3ObjectReader } from '@imagery/checker/object-reader';
import { runScopeOf } from '@imagery/checker/run-scope';
import { baselineFromJson } from '@imagery/checker/store-baseline';
import { type HistoryFacts, type Verdict, exitCodeOf, formatVerdict, historyFacts, verdictOf } from '@imagery/checker/verdict';

const USAGE =
  'usage: node dist/chaos/runner/check-cli.js --history <history.jsonl> [--baseline <baseline.json>] [--sample N] [--seed N] ' +
  `[--allow-dlq] [--json <result.json>] [--max-per-group N]

Checks a run: reads its history (JSON Lines) and the final DynamoDB / S3 / SQS state of what the run
touched, prints every violation with its provenance and the run's verdict (the thresholds the
workload recorded in its end, whether its FIS actions had an effect). Exits 0 on a PASS, 1 on a
violation, a crossed threshold, a history cut short or an aborted workload, 3 when INCONCLUSIVE
(the faults had no effect), 2 on a usage or configuration error. Every raw object is hashed and
every processed object compared with its raw one unless --sample asks for a sample.
Resources from the environment: IMAGES_TABLE, IMAGES_BUCKET, IMAGES_QUEUE_URL, IMAGES_DLQ_URL;
AWS region, endpoints and credentials from the SDK's standard variables (S3_FORCE_PATH_STYLE=true
for emulators).
  --baseline FILE  the store when the run started (a report's baseline.json): judge only what changed
                   since, and what the history names; without it, the whole table and bucket are judged
  --sample N       compare only a seeded sample of N processed images for sepia (default: all)
  --seed N         picks that sample (default 1)
  --allow-dlq      this run's messages in the dead-letter queue are expected
  --json FILE      also write the result (violations with provenance, and stats) as JSON
  --max-per-group N  violations printed per invariant, the rest counted (default 20)`;

/** Reads a history file; the runner's history-file reader in production, replaceable in tests. */
export type HistoryReader = (path: string) => Promise<HistoryEntry[]>;

/** The history's own strict reader: a cut-short last line is dropped (historyFacts then reports the history incomplete). */
export const readJsonLinesHistory: HistoryReader = async (path) => (await readHistoryFile(path)).entries;

interface CheckCliOptions {
  readonly history: string;
  readonly baseline?: string;
  readonly sample?: number;
  readonly seed: number;
  readonly maxPerGroup: number;
  readonly allowDlq: boolean;
  readonly json?: string;
  readonly resources: { readonly tableName: string; readonly bucket: string; readonly queueUrl: string; readonly dlqUrl: string };
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  readHistory: HistoryReader = readJsonLinesHistory,
): Promise<number> {
  const options = parseCheckArgs(argv, env);
  if (typeof options === 'number') return options;
  const clients = createAwsClients({ s3ForcePathStyle: envBoolean.catch(false).parse(env.S3_FORCE_PATH_STYLE ?? 'false') });
  try {
    const history = await readHistory(options.history);
    const baseline = options.baseline ? baselineFromJson(JSON.parse(await readFile(options.baseline, 'utf8')) as object) : undefined;
    const state = await readFinalState({ ...options.resources, clients, scope: runScopeOf(history, baseline) });
    const result = await checkHistory(history, state, {
      allowDeadLetters: options.allowDlq,
      readObject: s3ObjectReader(clients.s3, options.resources.bucket),
      ...(options.sample !== undefined ? { sepiaSample: { size: options.sample, seed: options.seed } } : {}),
    });
    const facts = historyFacts(history);
    printCheck(result, facts, options.maxPerGroup);
    const verdict = historyVerdict(history, result, facts);
    console.log(formatVerdict(verdict));
    if (options.json) await writeFile(options.json, JSON.stringify({ ...result, history: facts, verdict }, null, 2) + '\n');
    return exitCodeOf([verdict.outcome]);
  } finally {
    clients.destroy();
  }
}

/** The options, or the exit code when there is nothing to check (--help: 0; a usage or configuration error: 2). */
function parseCheckArgs(argv: string[], env: NodeJS.ProcessEnv): CheckCliOptions | number {
  const { values } = parseArgs({
    args: argv,
    options: {
      history: { type: 'string' },
      baseline: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'allow-dlq': { type: 'boolean', default: false },
      json: { type: 'string' },
      'max-per-group': { type: 'string', default: '20' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  const seed = Number(values.seed);
  const maxPerGroup = Number(values['max-per-group']);
  const missing = ['IMAGES_TABLE', 'IMAGES_BUCKET', 'IMAGES_QUEUE_URL', 'IMAGES_DLQ_URL'].filter((name) => !env[name]);
  const wholeNumbers = [sample ?? 0, seed, maxPerGroup].every((n) => Number.isInteger(n) && n >= 0);
  const problems = [
    ...(values.history ? [] : ['--history is required']),
    ...(wholeNumbers ? [] : ['--sample, --seed and --max-per-group take whole numbers']),
    ...missing.map((name) => `${name} is not set`),
  ];
  if (problems.length > 0 || !values.history) {
    console.error(`${problems.join('\n')}\n\n${USAGE}`);
    return 2;
  }
  return {
    history: values.history,
    baseline: values.baseline,
    sample,
    seed,
    maxPerGroup,
    allowDlq: values['allow-dlq'],
    json: values.json,
    resources: { tableName: env.IMAGES_TABLE!, bucket: env.IMAGES_BUCKET!, queueUrl: env.IMAGES_QUEUE_URL!, dlqUrl: env.IMAGES_DLQ_URL! },
  };
}

function printCheck(result: CheckResult, facts: HistoryFacts, maxPerGroup: number): void {
  const complete = isComplete(facts);
  console.log(formatStats(result.stats));
  console.log('');
  console.log(formatViolations(result.violations, { maxPerGroup }));
  console.log('');
  if (!complete)
    console.log(
      `history incomplete: ${facts.workloadOutcome ? '' : 'no workload end; '}${facts.openInvocations} invocation(s) without a completion`,
    );
  const failed = `check: ${result.ok ? 'INCOMPLETE' : 'FAIL'} (${result.violations.length} violation(s))`;
  console.log(result.ok && complete ? 'check: PASS' : failed);
}

const isComplete = (facts: HistoryFacts): boolean =>
  facts.workloadOutcome !== undefined && facts.openInvocations === 0 && facts.orphanCompletions === 0;

/**
 * The run's verdict from the history alone: the check passing is not enough (an aborted workload,
 * a crossed threshold, faults without effect). Faults were planned if the history has an
 * experiment; no drain here: the queue's emptiness is the drained invariant's.
 */
function historyVerdict(history: readonly HistoryEntry[], result: CheckResult, facts: HistoryFacts): Verdict {
  const faultsPlanned = history.some((e) => e.type === 'nemesis' && (e.event.kind === 'fis-experiment' || e.event.kind === 'fis-action'));
  const drain = { drained: true, waitedMs: 0 };
  return verdictOf({ check: result, history: facts, drain, faultsPlanned, faultEffects: facts.faultEffects });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`checker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(2);
    },
  );
}
