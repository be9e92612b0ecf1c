import { CreateExperimentTemplateCommand, CreateExperimentTemplateCommandInput, ValidationException } from '@aws-sdk/client-fis';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';

/** Malformed templates are refused the way FIS refuses them: a ValidationException naming the problem. */
describe('FIS simulator template validation', () => {
  let kit: FisTestKit;
  beforeAll(async () => (kit = await startFisTestKit()));
  afterAll(() => kit.close());

  const base = (): CreateExperimentTemplateCommandInput => ({
    description: 'd',
    roleArn: ROLE_ARN,
    stopConditions: [{ source: 'none' }],
    targets: { api: { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'api' }, selectionMode: 'COUNT(1)' } },
    actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'api' } } },
  });

  async function refusal(template: CreateExperimentTemplateCommandInput): Promise<string> {
    try {
      await kit.fis.send(new CreateExperimentTemplateCommand(template));
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationException);
      expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
      return (error as Error).message;
    }
    throw new Error('the template was accepted');
  }

  it('accepts the base template', async () => {
    await expect(kit.fis.send(new CreateExperimentTemplateCommand(base()))).resolves.toBeDefined();
  });

  it.each<[string, (t: CreateExperimentTemplateCommandInput) => void, RegExp]>([
    [
      'an unknown action id',
      (t) => (t.actions = { x: { actionId: 'aws:ec2:explode-instances' } }),
      /Action 'x': unknown action id 'aws:ec2:explode-instances'/,
    ],
    [
      'a bad duration',
      (t) => (t.actions = { w: { actionId: 'aws:fis:wait', parameters: { duration: '30 seconds' } } }),
      /Action 'w': parameter 'duration': "30 seconds" is not an ISO 8601 duration/,
    ],
    ['a missing required parameter', (t) => (t.actions = { w: { actionId: 'aws:fis:wait' } }), /missing required parameter 'duration'/],
    [
      'an unknown parameter',
      (t) => (t.actions = { w: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S', colour: 'red' } } }),
      /unknown parameter 'colour' for aws:fis:wait; it takes duration/,
    ],
    [
      'a percentage out of range',
      (t) => (
        (t.actions = {
          e: {
            actionId: 'aws:fis:inject-api-internal-error',
            parameters: { service: 'sqs', operations: 'SendMessage', percentage: '150', duration: 'PT1M' },
            targets: { Roles: 'r' },
          },
        }),
        (t.targets = { r: { resourceType: 'aws:iam:role', resourceArns: ['arn:aws:iam::000000000000:role/api'], selectionMode: 'ALL' } })
      ),
      /parameter 'percentage': "150" must be an integer from 1 to 100/,
    ],
    [
      'a service AWS would not break locally',
      (t) => (
        (t.actions = {
          e: {
            actionId: 'aws:fis:inject-api-throttle-error',
            parameters: { service: 'ec2', operations: 'DescribeInstances', percentage: '10', duration: 'PT1M' },
            targets: { Roles: 'r' },
          },
        }),
        (t.targets = { r: { resourceType: 'aws:iam:role', resourceTags: { Role: 'api' }, selectionMode: 'ALL' } })
      ),
      /service "ec2" is not supported locally/,
    ],
    ['a missing target', (t) => (t.actions!.kill.targets = {}), /Action 'kill': missing target 'Instances'/],
    [
      'a target name that does not exist',
      (t) => (t.actions!.kill.targets = { Instances: 'workers' }),
      /target 'Instances' refers to 'workers', which is not a target of this template/,
    ],
    [
      'a target of the wrong resource type',
      (t) => ((t.targets!.api.resourceType = 'aws:iam:role'), (t.targets!.api.resourceTags = { Role: 'api' })),
      /must be of resource type aws:ec2:instance, but 'api' is aws:iam:role/,
    ],
    ['a bad selection mode', (t) => (t.targets!.api.selectionMode = 'SOME(2)'), /Target 'api': selection mode 'SOME\(2\)' is invalid/],
    ['PERCENT over 100', (t) => (t.targets!.api.selectionMode = 'PERCENT(101)'), /selection mode 'PERCENT\(101\)' is invalid/],
    [
      'an unsupported resource type',
      (t) => (t.targets!.api.resourceType = 'aws:rds:cluster'),
      /resource type 'aws:rds:cluster' is not supported locally/,
    ],
    [
      'an ARN of another type',
      (t) =>
        (t.targets!.api = { resourceType: 'aws:ec2:instance', resourceArns: ['arn:aws:iam::000000000000:role/api'], selectionMode: 'ALL' }),
      /is not an ARN of resource type aws:ec2:instance/,
    ],
    [
      'startAfter naming an unknown action',
      (t) => (t.actions!.kill.startAfter = ['warmup']),
      /startAfter names 'warmup', which is not an action of this template/,
    ],
    [
      'a startAfter cycle',
      (t) =>
        (t.actions = {
          a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' }, startAfter: ['b'] },
          b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' }, startAfter: ['a'] },
        }),
      /startAfter cycle: a -> b -> a/,
    ],
    [
      'an unknown alarm',
      (t) => (t.stopConditions = [{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope' }]),
      /alarm 'nope' is not defined locally/,
    ],
    [
      'an unknown stop condition source',
      (t) => (t.stopConditions = [{ source: 'aws:sns:topic' }]),
      /source 'aws:sns:topic' is not supported/,
    ],
    ['a missing description', (t) => delete (t as { description?: string }).description, /description: Required/],
    [
      'a misspelt field in an action',
      (t) => ((t.actions!.kill as unknown as Record<string, unknown>).startafter = ['x']),
      /actions.kill: Unrecognized key\(s\) in object: 'startafter'/,
    ],
    ['a non-integer seed tag', (t) => (t.tags = { seed: 'abc' }), /tags.seed: "abc" must be an integer/],
    [
      'crash-at without nth or percentage',
      (t) => (
        (t.actions = {
          c: {
            actionId: 'local:process:crash-at',
            parameters: { service: 'dynamodb', operation: 'UpdateItem', when: 'after', duration: 'PT1M' },
            targets: { Roles: 'r' },
          },
        }),
        (t.targets = { r: { resourceType: 'aws:iam:role', resourceTags: { Role: 'api' }, selectionMode: 'ALL' } })
      ),
      /give either percentage or nth/,
    ],
    [
      'toxic attributes that are not JSON numbers',
      (t) =>
        (t.actions = {
          x: {
            actionId: 'local:toxiproxy:toxic',
            parameters: { proxy: 's3', type: 'latency', attributes: '{"latency":"slow"}', duration: 'PT1M' },
          },
        }),
      /attributes must be a JSON object of numbers/,
    ],
  ])('refuses %s', async (_what, breakIt, message) => {
    const template = base();
    breakIt(template);
    expect(await refusal(template)).toMatch(message);
  });
});
