import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface PeekOptions {
  /** Stop after this many distinct messages. */
  readonly max: number;
  /** How many the queue reports; stop once that many were seen. */
  readonly expected?: number;
  /** Stop after this many receives in a row that bring nothing new (default 2). */
  readonly idleRounds?: number;
  /** How long a received message stays hidden before it is released (default 30 s; a safety net). */
  readonly hideSeconds?: number;
}

/**
 * The bodies of a queue's messages without consuming them: nothing is ever deleted. A receive
 * with VisibilityTimeout 0 alone cannot list a queue (SQS, and moto, may return the same first
 * messages every time), so messages are received with a short visibility timeout to walk past
 * them, then released at once by setting their visibility back to 0 (receive with visibility 0).
 * Should the release fail, they come back by themselves after hideSeconds.
 * (Each message's receive count goes up: harmless on a dead-letter queue, which redrives nowhere.)
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, options: PeekOptions): Promise<string[]> {
  const bodies = new Map<string, string>();
  const handles: { id: string; receiptHandle: string }[] = [];
  const idleRounds = options.idleRounds ?? 2;
  const maxRounds = Math.ceil(options.max / 10) * 3 + idleRounds;
  try {
    let idle = 0;
    for (let round = 0; round < maxRounds && idle < idleRounds && bodies.size < options.max; round++) {
      if (options.expected !== undefined && bodies.size >= options.expected) break;
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, options.max - bodies.size),
          VisibilityTimeout: options.hideSeconds ?? 30,
          WaitTimeSeconds: 0,
        }),
      );
      let fresh = 0;
      for (const m of out.Messages ?? []) {
        if (m.ReceiptHandle) handles.push({ id: String(handles.length), receiptHandle: m.ReceiptHandle });
        const key = m.MessageId ?? m.ReceiptHandle ?? String(bodies.size);
        if (bodies.has(key)) continue;
        bodies.set(key, m.Body ?? '');
        fresh++;
      }
      idle = fresh > 0 ? 0 : idle + 1;
    }
  } finally {
    await release(sqs, queueUrl, handles);
  }
  return [...bodies.values()];
}

/** Makes received messages visible again right away (best effort). */
async function release(sqs: SQSClient, queueUrl: string, handles: { id: string; receiptHandle: string }[]): Promise<void> {
  for (let i = 0; i < handles.length; i += 10) {
    const entries = handles.slice(i, i + 10).map((h) => ({ Id: h.id, ReceiptHandle: h.receiptHandle, VisibilityTimeout: 0 }));
    // best effort: a message not released reappears by itself after hideSeconds
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch(() => undefined);
  }
}
