import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAwsClients, envBoolean } from '@imagery/aws-adapters';
import { loadHistory } from '../history/load-history';
import { checkHistory } from './check-history';
import { formatStats } from './format-stats';
import { formatViolations } from './format-violations';
import { readFinalState } from './final-state';
import { s3ObjectReader } from './object-reader';

const USAGE = `usage: node dist/chaos/checker/cli.js --history <k6.json> [--sample N] [--seed N] [--allow-dlq] [--json <result.json>] [--max-per-group N]

Checks a run: reads the k6 history and the final DynamoDB / S3 / SQS state, prints every violation
of the invariants, exits 1 on any, 0 when clean (2 on a usage or configuration error).
Resources from the environment: IMAGES_TABLE, IMAGES_BUCKET, IMAGES_QUEUE_URL, IMAGES_DLQ_URL;
AWS region, endpoints and credentials from the SDK's standard variables (S3_FORCE_PATH_STYLE=true
for emulators).
  --sample N       processed images whose objects are compared for sepia (default 20, 0 = none)
  --seed N         picks that sample (default 1)
  --allow-dlq      messages in the dead-letter queue are expected
  --json FILE      also write the result (violations and stats) as JSON
  --max-per-group N  violations printed per invariant, the rest counted (default 20)`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      history: { type: 'string' },
      sample: { type: 'string', default: '20' },
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
  const sample = Number(values.sample);
  const seed = Number(values.seed);
  const maxPerGroup = Number(values['max-per-group']);
  const missing = ['IMAGES_TABLE', 'IMAGES_BUCKET', 'IMAGES_QUEUE_URL', 'IMAGES_DLQ_URL'].filter((name) => !env[name]);
  const problems = [
    ...(values.history ? [] : ['--history is required']),
    ...([sample, seed, maxPerGroup].every((n) => Number.isInteger(n) && n >= 0) ? [] : ['--sample, --seed and --max-per-group take whole numbers']),
    ...missing.map((name) => `${name} is not set`),
  ];
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n\n${USAGE}`);
    return 2;
  }

  const clients = createAwsClients({ s3ForcePathStyle: envBoolean.catch(false).parse(env.S3_FORCE_PATH_STYLE ?? 'false') });
  try {
    const history = await loadHistory(values.history!);
    const state = await readFinalState({
      tableName: env.IMAGES_TABLE!,
      bucket: env.IMAGES_BUCKET!,
      queueUrl: env.IMAGES_QUEUE_URL!,
      dlqUrl: env.IMAGES_DLQ_URL!,
      clients,
    });
    const result = await checkHistory(history, state, {
      allowDeadLetters: values['allow-dlq'],
      sepia: { sample, seed, readObject: s3ObjectReader(clients.s3, env.IMAGES_BUCKET!) },
    });
    console.log(formatStats(result.stats));
    console.log('');
    console.log(formatViolations(result.violations, { maxPerGroup }));
    console.log('');
    console.log(result.ok ? 'verdict: PASS' : `verdict: FAIL (${result.violations.length} violation(s))`);
    if (values.json) await writeFile(values.json, JSON.stringify(result, null, 2) + '\n');
    return result.ok ? 0 : 1;
  } finally {
    clients.destroy();
  }
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
