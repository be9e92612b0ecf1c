import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type Stack,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackImportComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { DeployError } from './deploy-error';
import { type Log, type StackEventTail } from './stack-events';

export interface WaitOptions {
  log: Log;
  /** How often the stack and its events are read (the waiter's delay, fixed: events print as they come). */
  pollMs?: number;
  timeoutMs?: number;
}

/** The stack operation a waiter waits for. */
export type StackOperation = 'create' | 'update' | 'delete' | 'import';

const WAITERS = {
  create: waitUntilStackCreateComplete,
  update: waitUntilStackUpdateComplete,
  delete: waitUntilStackDeleteComplete,
  import: waitUntilStackImportComplete,
} as const;

/** The operation a stack in `status` is in: a rollback belongs to its create (ROLLBACK_*) or update. */
export function stackOperationOf(status: string): StackOperation {
  if (status.startsWith('UPDATE_')) return 'update';
  if (status.startsWith('DELETE_')) return 'delete';
  if (status.startsWith('IMPORT_')) return 'import';
  return 'create';
}

export const isInProgress = (status: string): boolean => status.endsWith('_IN_PROGRESS');

/**
 * Waits, with the SDK's waiter for `operation`, until the stack settles, printing its events on the
 * way; returns the settled stack whatever its status. Throws only if it is still in progress at the
 * timeout.
 */
export async function settleStack(
  cfn: CloudFormationClient,
  stackId: string,
  operation: StackOperation,
  tail: StackEventTail,
  options: WaitOptions,
): Promise<Stack> {
  const { pollMs = 5_000, timeoutMs = 60 * 60_000 } = options;
  const delay = pollMs / 1000;
  const waiter = WAITERS[operation](
    { client: cfn, minDelay: delay, maxDelay: delay, maxWaitTime: timeoutMs / 1000 },
    { StackName: stackId },
  );
  // The waiter's own outcome (an end state it does not want, its timeout) says less than the stack itself, read next.
  await tail.follow(waiter.catch(unlessWaiterOutcome), pollMs);
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0];
  if (!stack?.StackStatus) throw new DeployError(`stack ${stackId} not found after waiting for its ${operation}`);
  if (isInProgress(stack.StackStatus)) {
    throw new DeployError(`stack ${stack.StackName} still ${stack.StackStatus} after ${timeoutMs / 60_000} min`);
  }
  return stack;
}

/**
 * Swallows a waiter's outcome other than success: the SDK throws it as an Error whose message is the
 * waiter's result as JSON, with its `state` (FAILURE, TIMEOUT, ABORTED). Anything else - an invalid
 * waiter configuration (e.g. a timeout shorter than the poll) - is rethrown.
 */
function unlessWaiterOutcome(error: unknown): void {
  if (!isWaiterOutcome(error)) throw error;
}

function isWaiterOutcome(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  try {
    const result: unknown = JSON.parse(error.message);
    return typeof result === 'object' && result !== null && 'state' in result;
  } catch {
    return false; // not JSON: not a waiter result
  }
}

/** `settleStack`, then throws unless the stack ended in one of `accepted`: the error names its status and the failed resources' reasons. */
export async function settleIn(
  accepted: ReadonlySet<string>,
  cfn: CloudFormationClient,
  stackId: string,
  operation: StackOperation,
  tail: StackEventTail,
  options: WaitOptions,
): Promise<Stack> {
  const stack = await settleStack(cfn, stackId, operation, tail, options);
  if (!accepted.has(stack.StackStatus!)) throw endedError(stack, tail.failures);
  return stack;
}

/** Names the stack, its status and why, then the failed resources' reasons one per line. */
export function endedError(stack: Stack, failures: string[]): DeployError {
  const reason = stack.StackStatusReason ? `: ${stack.StackStatusReason}` : '';
  return new DeployError([`stack ${stack.StackName} ended ${stack.StackStatus}${reason}`, ...failures].join('\n  '));
}
