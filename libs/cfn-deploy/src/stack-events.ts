import { type CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { setTimeout as sleep } from 'node:timers/promises';

export type Log = (line: string) => void;

/**
 * Prints a stack's events as they happen, oldest first, skipping those from before the operation;
 * remembers the failed resources' reasons for the error message. Event ids, not timestamps: a
 * skewed local clock hides nothing.
 */
export class StackEventTail {
  readonly failures: string[] = [];

  private constructor(
    private readonly cfn: CloudFormationClient,
    private readonly stackId: string,
    private readonly seen: Set<string>,
    private readonly log: Log,
  ) {}

  /** A tail that prints only the events after now (those of the operation about to start). */
  static async fromNow(cfn: CloudFormationClient, stackId: string, log: Log): Promise<StackEventTail> {
    return new StackEventTail(cfn, stackId, await latestEventIds(cfn, stackId), log);
  }

  /** A tail that prints every event (a stack just created has none from before). */
  static fromStart(cfn: CloudFormationClient, stackId: string, log: Log): StackEventTail {
    return new StackEventTail(cfn, stackId, new Set(), log);
  }

  /** Prints the events not printed yet. */
  async printNew(): Promise<void> {
    for (const event of await this.newEvents()) {
      this.log(formatEvent(event));
      if (event.ResourceStatus?.endsWith('_FAILED')) this.failures.push(`${event.LogicalResourceId}: ${event.ResourceStatusReason}`);
    }
  }

  /**
   * Runs `work` (a waiter) while printing the events every `pollMs`, then prints the rest. A failed
   * read while following is retried on the next tick; the last one, after `work`, is not.
   */
  async follow<T>(work: Promise<T>, pollMs: number): Promise<T> {
    const stop = new AbortController();
    const following = (async () => {
      while (!stop.signal.aborted) {
        await this.printNew().catch(() => undefined);
        await sleep(pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    })();
    try {
      return await work;
    } finally {
      stop.abort();
      await following;
      await this.printNew();
    }
  }

  /** Events not seen yet, oldest first; pages back until a seen one. */
  private async newEvents(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.cfn.send(new DescribeStackEventsCommand({ StackName: this.stackId, NextToken }));
      for (const event of page.StackEvents ?? []) {
        if (this.seen.has(event.EventId!)) return fresh.reverse();
        this.seen.add(event.EventId!);
        fresh.push(event);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return fresh.reverse();
  }
}

/** The ids of the stack's latest events (one page: the API returns the newest first). */
async function latestEventIds(cfn: CloudFormationClient, stackId: string): Promise<Set<string>> {
  const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return new Set(StackEvents.map((event) => event.EventId!));
}

/** The failed resources' reasons among the stack's latest events, for a stack found failed. */
export async function latestFailures(cfn: CloudFormationClient, stackId: string): Promise<string[]> {
  const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return StackEvents.filter((event) => event.ResourceStatus?.endsWith('_FAILED')).map(
    (event) => `${event.LogicalResourceId}: ${event.ResourceStatusReason}`,
  );
}

export function formatEvent(event: StackEvent): string {
  const time = event.Timestamp!.toISOString().slice(11, 19);
  const reason = event.ResourceStatusReason ? `  ${event.ResourceStatusReason}` : '';
  return `  ${time}  ${event.ResourceStatus!.padEnd(20)} ${event.LogicalResourceId} (${event.ResourceType})${reason}`;
}
