import { runWithRequestContext } from '@imagery/aws-adapters';
import { ProcessImage, ProcessOutcome, itemToStartFrom, parseImageMessage, reached } from '@imagery/domain';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/**
 * One message body in, one outcome out: shared by the SQS poller and the push endpoint. Each job
 * runs in the request context of the upload it serves (the request id carried in the message), so
 * its logs and the faults injected into its AWS calls name that request.
 */
export class ImageMessageHandler {
  private readonly logger = new Logger('Job');

  constructor(private readonly processImage: ProcessImage) {}

  /** `receiveCount` (1 on a first delivery) lets the job start from the item the message carries; unknown means read it. */
  handle(body: string, messageId = '', receiveCount?: number): Promise<ProcessOutcome> {
    let message: ReturnType<typeof parseImageMessage>;
    try {
      message = parseImageMessage(body);
    } catch (err) {
      const poison = err instanceof Error ? err : new Error(String(err));
      this.logger.warn(`message ${messageId}: poison: ${poison.message}`);
      return Promise.reject(poison);
    }
    if (receiveCount !== undefined && receiveCount > 1) reached('message-redelivered', `receive ${receiveCount}`);
    const context = { requestId: message.requestId ?? randomUUID(), imageId: message.imageId };
    return runWithRequestContext(context, async () => {
      try {
        const outcome = await this.processImage.execute(message.imageId, itemToStartFrom(message, receiveCount));
        this.logger.log(`message ${messageId}: ${outcome}`);
        return outcome;
      } catch (err) {
        this.logger.warn(`message ${messageId}: will be retried: ${(err as Error).message}`);
        throw err;
      }
    });
  }
}
