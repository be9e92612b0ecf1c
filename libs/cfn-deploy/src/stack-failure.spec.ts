import { CloudFormationClient, type ResourceStatus, type StackEvent } from '@aws-sdk/client-cloudformation';
import { DeployError } from './deploy-error';
import { deployStack, ensureStack } from './stack';

/**
 * Failures, on a CloudFormation that answers from a script (moto never fails a stack: it
 * rejects the request instead): the error names the stack's status and the failed resources' reasons.
 */
type Answers = Record<string, () => object>;

/** A client whose commands are answered by `answers[commandName]`, before anything is sent. */
function scriptedClient(answers: Answers): CloudFormationClient {
  const client = new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.middlewareStack.add(
    (_next, context) => () => {
      const answer = answers[context.commandName ?? ''];
      if (!answer) throw new Error(`unscripted ${context.commandName}`);
      return Promise.resolve({ output: { ...answer(), $metadata: {} }, response: {} });
    },
    { step: 'initialize', name: 'scriptedAnswers' },
  );
  return client;
}

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/failing/1';
const stack = (StackStatus: string, StackStatusReason?: string) => ({
  Stacks: [{ StackName: 'failing', StackId: STACK_ID, StackStatus, StackStatusReason, CreationTime: new Date() }],
});
const event = (id: string, LogicalResourceId: string, ResourceStatus: ResourceStatus, ResourceStatusReason?: string): StackEvent => ({
  EventId: id,
  StackId: STACK_ID,
  StackName: 'failing',
  LogicalResourceId,
  ResourceStatus,
  ResourceStatusReason,
  ResourceType: LogicalResourceId === 'failing' ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
  Timestamp: new Date('2026-01-01T10:00:00Z'),
});
// newest first, as the API answers
const ROLLED_BACK_EVENTS = [
  event('4', 'failing', 'ROLLBACK_COMPLETE'),
  event('3', 'Queue', 'CREATE_FAILED', 'Resource handler returned message: "Invalid request provided"'),
  event('2', 'Queue', 'CREATE_IN_PROGRESS'),
  event('1', 'failing', 'CREATE_IN_PROGRESS', 'User Initiated'),
];

/** DescribeStacks answers each of `statuses` in turn, then the last one forever. */
function statuses(...answers: ReturnType<typeof stack>[]): () => object {
  let call = 0;
  return () => answers[Math.min(call++, answers.length - 1)];
}

const lines: string[] = [];
const wait = { log: (line: string) => void lines.push(line), pollMs: 20 };
beforeEach(() => void lines.splice(0));

describe('a stack that fails', () => {
  it('to create is a DeployError naming its status and the failed resources, after printing the events', async () => {
    const cfn = scriptedClient({
      DescribeStacksCommand: statuses(
        { Stacks: [] }, // absent: create it
        stack('CREATE_IN_PROGRESS'),
        stack('ROLLBACK_COMPLETE', 'The following resource(s) failed to create: [Queue].'),
      ),
      CreateStackCommand: () => ({ StackId: STACK_ID }),
      DescribeStackEventsCommand: () => ({ StackEvents: ROLLED_BACK_EVENTS }),
    });
    const failure = deployStack(cfn, { stackName: 'failing', templateBody: '{}' }, wait);
    await expect(failure).rejects.toThrow(DeployError);
    await expect(failure).rejects.toThrow(
      [
        'stack failing ended ROLLBACK_COMPLETE: The following resource(s) failed to create: [Queue].',
        '  Queue: Resource handler returned message: "Invalid request provided"',
      ].join('\n'),
    );
    expect(lines).toContainEqual(expect.stringMatching(/CREATE_FAILED\s+Queue \(AWS::SQS::Queue\) {2}Resource handler returned/));
  });

  it('to settle within the timeout is a DeployError saying it is still in progress', async () => {
    const cfn = scriptedClient({
      DescribeStacksCommand: statuses({ Stacks: [] }, stack('CREATE_IN_PROGRESS')),
      CreateStackCommand: () => ({ StackId: STACK_ID }),
      DescribeStackEventsCommand: () => ({ StackEvents: ROLLED_BACK_EVENTS.slice(2) }),
    });
    const failure = deployStack(cfn, { stackName: 'failing', templateBody: '{}' }, { ...wait, timeoutMs: 300 });
    await expect(failure).rejects.toThrow(/^stack failing still CREATE_IN_PROGRESS after/);
  });

  it('to wait with an invalid waiter configuration is that error, not swallowed as a waiter outcome', async () => {
    const cfn = scriptedClient({
      DescribeStacksCommand: statuses({ Stacks: [] }, stack('CREATE_IN_PROGRESS')),
      CreateStackCommand: () => ({ StackId: STACK_ID }),
      DescribeStackEventsCommand: () => ({ StackEvents: ROLLED_BACK_EVENTS.slice(2) }),
    });
    // a timeout shorter than the poll: the SDK refuses the waiter's configuration
    const failure = deployStack(cfn, { stackName: 'failing', templateBody: '{}' }, { ...wait, timeoutMs: 10 });
    await expect(failure).rejects.toThrow(/WaiterConfiguration\.maxWaitTime/);
  });

  it('found failed by ensureStack is a DeployError with the reasons from its events', async () => {
    const cfn = scriptedClient({
      DescribeStacksCommand: statuses(stack('ROLLBACK_COMPLETE', 'The following resource(s) failed to create: [Queue].')),
      DescribeStackEventsCommand: () => ({ StackEvents: ROLLED_BACK_EVENTS }),
    });
    await expect(ensureStack(cfn, { stackName: 'failing', templateBody: '{}' }, wait)).rejects.toThrow(
      /ended ROLLBACK_COMPLETE: .*\n {2}Queue: Resource handler returned message/,
    );
  });
});
