import { GetQueueAttributesCommand, QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import { PlatformMetrics } from '@imagery/nest-platform';

const KINDS: Record<string, QueueAttributeName> = {
  visible: 'ApproximateNumberOfMessages',
  in_flight: 'ApproximateNumberOfMessagesNotVisible',
  delayed: 'ApproximateNumberOfMessagesDelayed',
};

/**
 * Reads queue depths from SQS attributes when /metrics is scraped (stop conditions such as
 * "dead-letter queue not empty" evaluate these).
 */
export class QueueDepthCollector {
  constructor(sqs: SQSClient, metrics: PlatformMetrics, queues: Record<string, string | undefined>) {
    const gauge = metrics.queueDepth as unknown as { collect?: () => Promise<void> };
    gauge.collect = async () => {
      await Promise.all(
        Object.entries(queues).map(async ([queue, url]) => {
          if (!url) return;
          try {
            const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: Object.values(KINDS) }));
            for (const [kind, attribute] of Object.entries(KINDS)) {
              metrics.queueDepth.set({ queue, kind }, Number(out.Attributes?.[attribute] ?? 0));
            }
          } catch {
            // Unreachable queue: leave the last values; the aws call metrics show the failure.
          }
        }),
      );
    };
  }
}
