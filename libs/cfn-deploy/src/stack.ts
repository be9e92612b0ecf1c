import {
  type Capability,
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
  type Tag,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { latestFailures, StackEventTail } from './stack-events';
import { endedError, isInProgress, settleIn, settleStack, stackOperationOf, type WaitOptions } from './stack-wait';

export interface StackRequest {
  stackName: string;
  /** An S3 URL: bodies are limited to 51 200 bytes, and nested templates must be in S3 anyway. */
  templateUrl?: string;
  /** For small templates (the artifacts stack, which creates the bucket the others are uploaded to; local stacks). */
  templateBody?: string;
  parameters?: Parameter[];
  tags?: Tag[];
  capabilities?: Capability[];
}

const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
// Its resources exist and its outputs can be used: a rolled-back update left the previous ones.
const USABLE = new Set([...SUCCEEDED, 'UPDATE_ROLLBACK_COMPLETE']);
const DELETED = new Set(['DELETE_COMPLETE']);
// A create that failed leaves a stack that can only be deleted; so does an abandoned change set.
const DEAD_ON_ARRIVAL = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);

/**
 * Creates the stack, or updates it if it exists ("no changes" is success), and waits until it
 * settles, printing its events as they happen. Returns the settled stack (with its outputs).
 */
export async function deployStack(cfn: CloudFormationClient, request: StackRequest, wait: WaitOptions): Promise<Stack> {
  const existing = await settledForDeploy(cfn, request.stackName, wait);
  return existing ? updateStack(cfn, existing, request, wait) : createStack(cfn, request, wait, SUCCEEDED);
}

/**
 * Creates the stack unless it exists, waits until it settles and returns it. An existing stack is
 * reused as is (its parameters are the caller's to check); one that failed is an error.
 */
export async function ensureStack(cfn: CloudFormationClient, request: StackRequest, wait: WaitOptions): Promise<Stack> {
  const existing = await describeStack(cfn, request.stackName);
  if (!existing) return createStack(cfn, request, wait, USABLE);
  const stack = isInProgress(existing.StackStatus!) ? await settleFromNow(cfn, existing, wait) : existing;
  if (!USABLE.has(stack.StackStatus!)) throw endedError(stack, await latestFailures(cfn, stack.StackId!));
  return stack;
}

/** Deletes the stack if it exists and waits until it is gone. */
export async function deleteStack(cfn: CloudFormationClient, stackName: string, wait: WaitOptions): Promise<void> {
  const stack = await describeStack(cfn, stackName);
  if (!stack) {
    wait.log(`stack ${stackName} does not exist`);
    return;
  }
  const tail = await StackEventTail.fromNow(cfn, stack.StackId!, wait.log);
  wait.log(`deleting stack ${stackName}`);
  await cfn.send(new DeleteStackCommand({ StackName: stack.StackId }));
  // by id: once deleted, the name no longer resolves
  await settleIn(DELETED, cfn, stack.StackId!, 'delete', tail, wait);
}

export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    // CloudFormation's answer for a missing stack is a generic ValidationError
    if (/does not exist/.test(errorText(error, 'message'))) return undefined;
    throw error;
  }
}

export function stackOutputs(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
}

/** The existing stack, once settled, if an update can follow; undefined if it must be created (again). */
async function settledForDeploy(cfn: CloudFormationClient, stackName: string, wait: WaitOptions): Promise<Stack | undefined> {
  let existing = await describeStack(cfn, stackName);
  if (existing && isInProgress(existing.StackStatus!) && existing.StackStatus !== 'REVIEW_IN_PROGRESS') {
    wait.log(`${stackName} is ${existing.StackStatus}: waiting for it to settle first`);
    existing = await settleFromNow(cfn, existing, wait);
    if (existing.StackStatus === 'DELETE_COMPLETE') return undefined; // it was being deleted
  }
  if (existing && DEAD_ON_ARRIVAL.has(existing.StackStatus!)) {
    wait.log(`${stackName} is ${existing.StackStatus} (never created): deleting it before creating it again`);
    await deleteStack(cfn, stackName, wait);
    return undefined;
  }
  return existing;
}

/** Waits for the operation a stack is in to end, whatever the outcome, printing the events from now on. */
async function settleFromNow(cfn: CloudFormationClient, stack: Stack, wait: WaitOptions): Promise<Stack> {
  const tail = await StackEventTail.fromNow(cfn, stack.StackId!, wait.log);
  return settleStack(cfn, stack.StackId!, stackOperationOf(stack.StackStatus!), tail, wait);
}

async function createStack(
  cfn: CloudFormationClient,
  request: StackRequest,
  wait: WaitOptions,
  accepted: ReadonlySet<string>,
): Promise<Stack> {
  wait.log(`creating stack ${request.stackName}`);
  let stackId: string;
  try {
    stackId = (await cfn.send(new CreateStackCommand({ ...stackInput(request), OnFailure: 'ROLLBACK' }))).StackId!;
  } catch (error) {
    // The SDK retried a create whose first answer was lost, or someone else created it meanwhile.
    if (errorText(error, 'name') !== 'AlreadyExistsException') throw error;
    wait.log(`${request.stackName} was created meanwhile: waiting for it`);
    stackId = request.stackName;
  }
  return settleIn(accepted, cfn, stackId, 'create', StackEventTail.fromStart(cfn, stackId, wait.log), wait);
}

async function updateStack(cfn: CloudFormationClient, existing: Stack, request: StackRequest, wait: WaitOptions): Promise<Stack> {
  const tail = await StackEventTail.fromNow(cfn, existing.StackId!, wait.log);
  try {
    wait.log(`updating stack ${request.stackName}`);
    await cfn.send(new UpdateStackCommand(stackInput(request)));
  } catch (error) {
    if (/No updates are to be performed/.test(errorText(error, 'message'))) {
      wait.log(`${request.stackName}: no changes`);
      return existing;
    }
    throw error;
  }
  return settleIn(SUCCEEDED, cfn, existing.StackId!, 'update', tail, wait);
}

function stackInput(request: StackRequest) {
  const { stackName, templateUrl, templateBody, parameters = [], tags = [], capabilities = [] } = request;
  return {
    StackName: stackName,
    ...(templateUrl ? { TemplateURL: templateUrl } : { TemplateBody: templateBody }),
    Parameters: parameters,
    Tags: tags,
    Capabilities: capabilities,
  };
}

const errorText = (error: unknown, field: 'name' | 'message'): string => (error instanceof Error ? error[field] : '');
