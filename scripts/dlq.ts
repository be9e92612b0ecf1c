import { SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { DeadLetterQueue } from '../platform/dlq/dead-letter-queue';

const USAGE = `usage: npm run dlq -- <list|redrive|purge> [options]

  list      show the messages in the dead-letter queue (they stay there)
  redrive   move them back to the main queue (SQS's message-move task where supported, else resend)
  purge     delete them all (needs --yes)

options:
  --dlq URL       dead-letter queue URL (default: $IMAGES_DLQ_URL)
  --queue URL     main queue URL (default: $IMAGES_QUEUE_URL)
  --max N         list at most N messages (default 100)
  --resend        redrive by receive-and-resend even where the message-move task exists
  --yes           confirm purge

AWS itself is configured the SDK's standard way (AWS_REGION, AWS_ENDPOINT_URL_SQS, credentials).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dlq: { type: 'string', default: process.env.IMAGES_DLQ_URL },
      queue: { type: 'string', default: process.env.IMAGES_QUEUE_URL },
      max: { type: 'string', default: '100' },
      resend: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command || !['list', 'redrive', 'purge'].includes(command)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!values.dlq || !values.queue) {
    console.error('the dead-letter and main queue URLs are needed: --dlq and --queue, or IMAGES_DLQ_URL and IMAGES_QUEUE_URL');
    return 2;
  }
  const sqs = new SQSClient({});
  const dlq = new DeadLetterQueue(sqs, values.dlq, values.queue);
  try {
    if (command === 'list') {
      const messages = await dlq.list(Number(values.max));
      const { visible, inFlight } = await dlq.depth();
      console.log(`${values.dlq}: about ${visible} visible, ${inFlight} in flight; showing ${messages.length}`);
      for (const m of messages) console.log(`${m.sentAt}  receives=${m.receiveCount}  ${m.messageId}  ${m.body}`);
    } else if (command === 'redrive') {
      const result = await dlq.redrive({ preferMoveTask: !values.resend });
      console.log(
        result.method === 'message-move-task'
          ? `SQS message-move task started (${result.taskHandle}); see ListMessageMoveTasks for progress`
          : `moved ${result.moved} message(s) back to ${values.queue} (receive and resend)`,
      );
    } else {
      if (!values.yes) {
        console.error('purge deletes every message in the dead-letter queue for good: add --yes');
        return 2;
      }
      await dlq.purge();
      console.log(`purged ${values.dlq}`);
    }
    return 0;
  } finally {
    sqs.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`dlq: ${err.message}`);
    process.exit(1);
  },
);
