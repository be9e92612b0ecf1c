import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly sentAt: string;
}

export interface RedriveResult {
  /** `message-move-task`: SQS moves them itself (asynchronously); `resend`: moved here, one batch at a time. */
  readonly method: 'message-move-task' | 'resend';
  /** Messages moved (resend), or the task's handle (message-move-task). */
  readonly moved?: number;
  readonly taskHandle?: string;
}

/** How long listed messages stay hidden before they are handed back (while we page through). */
const LIST_HIDE_SECONDS = 30;

/**
 * The operator's tools for the dead-letter queue: see what is there, send it back to the main
 * queue once the cause is fixed, or drop it. Redrive uses SQS's own message-move task where the
 * service supports it (AWS does; the emulator may not) and otherwise receives and re-sends each
 * message, deleting it from the dead-letter queue only after the send succeeded (at-least-once:
 * the consumer is idempotent, so a message sent twice is harmless; one lost is not).
 */
export class DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly deadLetterQueueUrl: string,
    readonly mainQueueUrl: string,
  ) {}

  async depth(): Promise<{ visible: number; inFlight: number }> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.deadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  /** Up to `max` messages, left in the queue (hidden while listing, then handed back at once). */
  async list(max = 100): Promise<DeadLetter[]> {
    const seen: Message[] = [];
    while (seen.length < max) {
      const batch = await this.receive(Math.min(10, max - seen.length), LIST_HIDE_SECONDS);
      if (batch.length === 0) break;
      seen.push(...batch);
    }
    await this.handBack(seen);
    return seen.map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
      sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
    }));
  }

  async redrive(options: { preferMoveTask?: boolean } = {}): Promise<RedriveResult> {
    if (options.preferMoveTask !== false) {
      const task = await this.startMoveTask().catch(() => undefined);
      if (task) return { method: 'message-move-task', taskHandle: task };
    }
    let moved = 0;
    for (;;) {
      const batch = await this.receive(10, 60);
      if (batch.length === 0) return { method: 'resend', moved };
      const sent = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.mainQueueUrl,
          Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      const done = batch.filter((_, i) => ok.has(i));
      if (done.length) {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.deadLetterQueueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      moved += done.length;
      if (done.length < batch.length) {
        await this.handBack(batch.filter((_, i) => !ok.has(i)));
        throw new Error(`redrive stopped: ${batch.length - done.length} message(s) could not be sent to the main queue (${moved} moved)`);
      }
    }
  }

  async purge(): Promise<void> {
    await this.sqs.send(new PurgeQueueCommand({ QueueUrl: this.deadLetterQueueUrl }));
  }

  private async startMoveTask(): Promise<string | undefined> {
    const arnOf = async (url: string) =>
      (await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const [source, destination] = await Promise.all([arnOf(this.deadLetterQueueUrl), arnOf(this.mainQueueUrl)]);
    if (!source || !destination) return undefined;
    const out = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: source, DestinationArn: destination }));
    return out.TaskHandle;
  }

  private async receive(max: number, hideSeconds: number): Promise<Message[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: 0,
        VisibilityTimeout: hideSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    return out.Messages ?? [];
  }

  private async handBack(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.deadLetterQueueUrl,
          Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}
