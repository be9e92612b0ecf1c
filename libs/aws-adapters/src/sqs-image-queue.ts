import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ImageMessage, ImageQueue, ReceivedMessage } from '@imagery/domain';
import { currentRequestContext } from './request-context';

export class SqsImageQueue implements ImageQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Carries the current request's id with the message (unless the message names one). */
  async send(message: ImageMessage): Promise<void> {
    const requestId = message.requestId ?? currentRequestContext()?.requestId;
    const body: ImageMessage = {
      imageId: message.imageId,
      ...(requestId ? { requestId } : {}),
      ...(message.item ? { item: message.item } : {}),
    };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body) }));
  }

  async receive(max: number, waitSeconds: number, signal?: AbortSignal, visibilitySeconds?: number): Promise<ReceivedMessage[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: visibilitySeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
      { abortSignal: signal },
    );
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1'),
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
  }

  /**
   * One DeleteMessageBatch (its entries' ids are their positions). Entries SQS reports failed are
   * returned, not thrown: their messages come back, and an idempotent consumer shrugs them off.
   * A fault rule that targets `DeleteMessage` does not match this call: target `DeleteMessageBatch`.
   */
  async deleteBatch(receiptHandles: readonly string[]): Promise<string[]> {
    if (receiptHandles.length === 0) return [];
    if (receiptHandles.length > 10) throw new Error(`DeleteMessageBatch takes at most 10 entries, not ${receiptHandles.length}`);
    const out = await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: receiptHandles.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
      }),
    );
    return (out.Failed ?? []).map((f) => receiptHandles[Number(f.Id)]).filter((h): h is string => h !== undefined);
  }

  async extendVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
    );
  }

  async backlog(): Promise<number> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
  }
}
