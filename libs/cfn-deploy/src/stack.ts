import {
  type Capability,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
  type StackEvent,
  type Tag,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { DeployError } from '../../../infra/deploy/aws-environment';

export type Log = (line: string) => void;

export interface StackRequest {
  stackName: string;
  /** An S3 URL: bodies are limited to 51 200 bytes, and nested templates must be in S3 anyway. */
  templateUrl?: string;
  /** For the artifacts stack only: it creates the bucket the other templates are uploaded to. */
  templateBody?: string;
  parameters?: Parameter[];
  tags?: Tag[];
  capabilities?: Capability[];
}

export interface WaitOptions {
  log: Log;
  pollMs?: number;
  timeoutMs?: number;
}

// A create that failed leaves a stack that can only be deleted; so does an abandoned change set.
const DEAD_ON_ARRIVAL = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);

/**
 * Creates the stack, or updates it if it exists ("no changes" is success), and waits until it
 * settles, printing its events as they happen. Returns the settled stack (with its outputs).
 */
export async function deployStack(cfn: CloudFormationClient, request: StackRequest, wait: WaitOptions): Promise<Stack> {
  const { stackName, templateUrl, templateBody, parameters = [], tags = [], capabilities = [] } = request;
  const input = {
    StackName: stackName,
    ...(templateUrl ? { TemplateURL: templateUrl } : { TemplateBody: templateBody }),
    Parameters: parameters,
    Tags: tags,
    Capabilities: capabilities,
  };
  let existing = await describeStack(cfn, stackName);
  if (existing?.StackStatus?.endsWith('_IN_PROGRESS') && existing.StackStatus !== 'REVIEW_IN_PROGRESS') {
    wait.log(`${stackName} is ${existing.StackStatus}: waiting for it to settle first`);
    existing = await waitForStack(cfn, existing.StackId!, await eventIds(cfn, existing.StackId!), { ...wait, acceptFailure: true });
    if (existing.StackStatus === 'DELETE_COMPLETE') existing = undefined; // it was being deleted
  }
  if (existing && DEAD_ON_ARRIVAL.has(existing.StackStatus!)) {
    wait.log(`${stackName} is ${existing.StackStatus} (never created): deleting it before creating it again`);
    await deleteStack(cfn, stackName, wait);
    existing = undefined;
  }

  if (!existing) {
    wait.log(`creating stack ${stackName}`);
    try {
      const { StackId } = await cfn.send(new CreateStackCommand({ ...input, OnFailure: 'ROLLBACK' }));
      return await waitForStack(cfn, StackId!, new Set(), wait);
    } catch (error) {
      // The SDK retried a create whose first answer was lost, or someone else created it meanwhile.
      if ((error as Error).name !== 'AlreadyExistsException') throw error;
      wait.log(`${stackName} was created meanwhile: waiting for it`);
      return waitForStack(cfn, stackName, new Set(), wait);
    }
  }
  const before = await eventIds(cfn, existing.StackId!);
  try {
    wait.log(`updating stack ${stackName}`);
    await cfn.send(new UpdateStackCommand(input));
  } catch (error) {
    if (/No updates are to be performed/.test((error as Error).message)) {
      wait.log(`${stackName}: no changes`);
      return existing;
    }
    throw error;
  }
  return waitForStack(cfn, existing.StackId!, before, wait);
}

/** Deletes the stack if it exists and waits until it is gone. */
export async function deleteStack(cfn: CloudFormationClient, stackName: string, wait: WaitOptions): Promise<void> {
  const stack = await describeStack(cfn, stackName);
  if (!stack) {
    wait.log(`stack ${stackName} does not exist`);
    return;
  }
  const before = await eventIds(cfn, stack.StackId!);
  wait.log(`deleting stack ${stackName}`);
  await cfn.send(new DeleteStackCommand({ StackName: stack.StackId }));
  // by id: once deleted, the name no longer resolves
  await waitForStack(cfn, stack.StackId!, before, wait);
}

export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

export function stackOutputs(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
}

const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE']);

/**
 * Polls until the stack is no longer *_IN_PROGRESS, printing each event not in `seen` (those from
 * before the operation), oldest first. Event ids, not timestamps: a skewed local clock hides nothing.
 * Throws on a failed or rolled-back end state (with the failure reasons) unless acceptFailure.
 */
export async function waitForStack(
  cfn: CloudFormationClient,
  stackId: string,
  seen: Set<string>,
  options: WaitOptions & { acceptFailure?: boolean },
): Promise<Stack> {
  const { log, pollMs = 5_000, timeoutMs = 60 * 60_000 } = options;
  const failures: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks![0];
    for (const event of await newEvents(cfn, stackId, seen)) {
      log(formatEvent(event));
      if (event.ResourceStatus?.endsWith('_FAILED')) failures.push(`${event.LogicalResourceId}: ${event.ResourceStatusReason}`);
    }
    const status = stack.StackStatus!;
    if (!status.endsWith('_IN_PROGRESS')) {
      if (SUCCEEDED.has(status) || options.acceptFailure) return stack;
      throw new DeployError(
        [`stack ${stack.StackName} ended ${status}${stack.StackStatusReason ? `: ${stack.StackStatusReason}` : ''}`, ...failures].join(
          '\n  ',
        ),
      );
    }
    if (Date.now() > deadline) throw new DeployError(`stack ${stack.StackName} still ${status} after ${timeoutMs / 60_000} min`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The ids of the stack's latest events (one page: the API returns the newest first). */
async function eventIds(cfn: CloudFormationClient, stackId: string): Promise<Set<string>> {
  const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return new Set(StackEvents.map((event) => event.EventId!));
}

/** Events not seen yet, oldest first; pages back until a seen one. */
async function newEvents(cfn: CloudFormationClient, stackId: string, seen: Set<string>): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken }));
    for (const event of page.StackEvents ?? []) {
      if (seen.has(event.EventId!)) return fresh.reverse();
      seen.add(event.EventId!);
      fresh.push(event);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return fresh.reverse();
}

export function formatEvent(event: StackEvent): string {
  const time = event.Timestamp!.toISOString().slice(11, 19);
  const reason = event.ResourceStatusReason ? `  ${event.ResourceStatusReason}` : '';
  return `  ${time}  ${event.ResourceStatus!.padEnd(20)} ${event.LogicalResourceId} (${event.ResourceType})${reason}`;
}
