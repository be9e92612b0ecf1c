import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface PeekOptions {
  /** How many messages the queue reports: every one is read (no fixed cap), and the receives are bounded by it. */
  readonly expected: number;
  /** Read at most this many (default: all `expected`); the rest count as unseen. */
  readonly max?: number;
  /** Stop after this many receives in a row that bring nothing new (default 2). */
  readonly idleRounds?: number;
  /** How long a received message stays hidden before it is released (default 30 s; a safety net). */
  readonly hideSeconds?: number;
}

export interface PeekResult {
  readonly bodies: string[];
  /**
   * Messages the queue reports that the peek did not see (in flight elsewhere, missed by short
   * polling, or past `max`): above 0, `bodies` is a partial list and whoever judges it must say so.
   */
  readonly unseen: number;
}

/**
 * The bodies of a queue's messages without consuming them: nothing is ever deleted. A receive
 * with VisibilityTimeout 0 alone cannot list a queue (SQS, and moto, may return the same first
 * messages every time), so messages are received with a short visibility timeout to walk past
 * them, then released at once by setting their visibility back to 0 (receive with visibility 0).
 * Should the release fail, they come back by themselves after hideSeconds.
 * It goes on past `expected` until receives come back empty (the counts are approximate), within
 * 3 receives per 10 expected messages.
 * (Each message's receive count goes up: harmless on a dead-letter queue, which redrives nowhere.)
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, options: PeekOptions): Promise<PeekResult> {
  const bodies = new Map<string, string>();
  const handles: { id: string; receiptHandle: string }[] = [];
  const idleRounds = options.idleRounds ?? 2;
  const max = options.max ?? Infinity;
  const maxRounds = Math.ceil(Math.min(max, options.expected) / 10) * 3 + idleRounds;
  try {
    let idle = 0;
    for (let round = 0; round < maxRounds && idle < idleRounds && bodies.size < max; round++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - bodies.size),
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
  return { bodies: [...bodies.values()], unseen: Math.max(0, options.expected - bodies.size) };
}

/** Makes received messages visible again right away (best effort). */
async function release(sqs: SQSClient, queueUrl: string, handles: { id: string; receiptHandle: string }[]): Promise<void> {
  for (let i = 0; i < handles.length; i += 10) {
    const entries = handles.slice(i, i + 10).map((h) => ({ Id: h.id, ReceiptHandle: h.receiptHandle, VisibilityTimeout: 0 }));
    // best effort: a message not released reappears by itself after hideSeconds
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch(() => undefined);
  }
}
