import { SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { DeadLetterQueue } from '../platform/dlq/dead-letter-queue';
import { resolveDlqTarget } from '../platform/dlq/dlq-target';
import { findRunningPlatform } from '../platform/local/running-platform';

const USAGE = `usage: npm run dlq -- <list|redrive|purge> [options]

  list      show the messages in the dead-letter queue (they stay there)
  redrive   move them back to the main queue (SQS's message-move task where supported, else resend)
  purge     delete them all (needs --yes)

options:
  --dlq URL       dead-letter queue URL (default: $IMAGES_DLQ_URL, else the running local platform's)
  --queue URL     main queue URL (default: $IMAGES_QUEUE_URL, else the running local platform's)
  --max N         list at most N messages (default 100)
  --resend        redrive by receive-and-resend even where the message-move task exists
  --yes           confirm purge

With \`npm start\` running, the queues are its own and nothing needs to be given. Otherwise AWS is
configured the SDK's standard way (AWS_REGION, AWS_ENDPOINT_URL_SQS, credentials).`;

type Options = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dlq: { type: 'string' },
      queue: { type: 'string' },
      max: { type: 'string', default: '100' },
      resend: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command] = positionals;
  if (values.help || !command || !['list', 'redrive', 'purge'].includes(command)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const target = await resolveDlqTarget({ flags: values, env: process.env, findPlatform: () => findRunningPlatform() });
  if (!target) {
    console.error(
      'the dead-letter and main queue URLs are needed: --dlq and --queue, or IMAGES_DLQ_URL and IMAGES_QUEUE_URL, or a running `npm start`',
    );
    return 2;
  }
  console.error(`queues from ${target.source}: ${target.deadLetterQueueUrl}`);
  const sqs = new SQSClient(target.sqs);
  try {
    return await run(command, new DeadLetterQueue(sqs, target.deadLetterQueueUrl, target.mainQueueUrl), values);
  } finally {
    sqs.destroy();
  }
}

/** Runs `command` on the queues; the exit code. */
async function run(command: string, dlq: DeadLetterQueue, values: Options): Promise<number> {
  if (command === 'list') {
    const messages = await dlq.list(Number(values.max));
    const { visible, inFlight } = await dlq.depth();
    console.log(`${dlq.deadLetterQueueUrl}: about ${visible} visible, ${inFlight} in flight; showing ${messages.length}`);
    for (const m of messages) console.log(`${m.sentAt}  receives=${m.receiveCount}  ${m.messageId}  ${m.body}`);
  } else if (command === 'redrive') {
    const result = await dlq.redrive({ preferMoveTask: !values.resend });
    console.log(
      result.method === 'message-move-task'
        ? `SQS message-move task started (${result.taskHandle}); see ListMessageMoveTasks for progress`
        : `moved ${result.moved} message(s) back to ${dlq.mainQueueUrl} (receive and resend)`,
    );
  } else {
    if (!values.yes) {
      console.error('purge deletes every message in the dead-letter queue for good: add --yes');
      return 2;
    }
    await dlq.purge();
    console.log(`purged ${dlq.deadLetterQueueUrl}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`dlq: ${err.message}`);
    process.exit(1);
  },
);
