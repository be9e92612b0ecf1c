import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import type { SqsImageQueue } from '@imagery/aws-adapters';
import { queueUrlAt } from '../../platform/local/emulator/data-stack';
import type { DirectAws } from './direct-aws';

/** A queue of the bench's own on the emulator, so the fleet's workers never take its messages; deleted once `use` ends. */
export async function withScratchQueue<T>(aws: DirectAws, purpose: string, use: (queue: SqsImageQueue) => Promise<T>): Promise<T> {
  const created = await aws.raw.sqs.send(
    new CreateQueueCommand({ QueueName: `imagery-bench-${purpose}-${process.pid}-${Date.now()}`, Attributes: { VisibilityTimeout: '30' } }),
  );
  const queueUrl = queueUrlAt(aws.endpoints.sqs, created.QueueUrl!);
  try {
    return await use(aws.queue(queueUrl));
  } finally {
    await aws.raw.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  }
}
