import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { randomBytes } from 'node:crypto';
import { emulatorEndpoint } from '@imagery/testing/platform/local-aws';
import { deleteStack, deployStack, describeStack, ensureStack, stackOutputs } from './stack';

/** The deploy on the emulator (moto): create, "no changes", update, delete, and failures that say why. */
let cfn: CloudFormationClient;
beforeAll(() => {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  cfn = new CloudFormationClient({ endpoint: emulatorEndpoint(), region: 'us-east-1', credentials });
});
afterAll(() => cfn.destroy());

const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

const lines: string[] = [];
const wait = { log: (line: string) => void lines.push(line), pollMs: 50 };
beforeEach(() => void lines.splice(0));

describe('deployStack on the emulator', () => {
  const name = uniqueName('imagery-stack');
  const templateBody = [
    'Parameters:',
    '  Retention: { Type: String, Default: "345600" }',
    'Resources:',
    '  Queue: { Type: AWS::SQS::Queue, Properties: { MessageRetentionPeriod: !Ref Retention } }',
    'Outputs:',
    '  Retention: { Value: !Ref Retention }',
  ].join('\n');
  const deploy = (value: string) =>
    deployStack(cfn, { stackName: name, templateBody, parameters: [{ ParameterKey: 'Retention', ParameterValue: value }] }, wait);

  it('creates, printing the stack events', async () => {
    expect(stackOutputs(await deploy('3600'))).toEqual({ Retention: '3600' });
    expect(lines[0]).toBe(`creating stack ${name}`);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^  \\d\\d:\\d\\d:\\d\\d  CREATE_COMPLETE\\s+${name} \\(AWS::CloudFormation::Stack\\)`)),
    );
  });

  it('treats "No updates are to be performed" as success', async () => {
    expect(stackOutputs(await deploy('3600'))).toEqual({ Retention: '3600' });
    expect(lines).toEqual([`updating stack ${name}`, `${name}: no changes`]);
  });

  it('updates, printing only the new events', async () => {
    expect(stackOutputs(await deploy('7200'))).toEqual({ Retention: '7200' });
    expect(lines.filter((line) => /CREATE_/.test(line))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/UPDATE_COMPLETE/));
  });

  it('ensureStack reuses the existing stack as is', async () => {
    const stack = await ensureStack(cfn, { stackName: name, templateBody }, wait);
    expect(stackOutputs(stack)).toEqual({ Retention: '7200' });
    expect(lines).toEqual([]);
  });

  it('deletes, and deleting what is gone is fine', async () => {
    await deleteStack(cfn, name, wait);
    expect(lines).toContainEqual(expect.stringMatching(/DELETE_COMPLETE/));
    expect(await describeStack(cfn, name)).toBeUndefined();
    await deleteStack(cfn, name, wait);
    expect(lines.at(-1)).toBe(`stack ${name} does not exist`);
  });
});
