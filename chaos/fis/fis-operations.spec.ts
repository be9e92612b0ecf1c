import * as ClientFis from '@aws-sdk/client-fis';
import { awsCliPath, botocoreFisOperations, ModelOperation } from '@imagery/testing/fis/aws-cli';
import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';

/**
 * The simulator against the FIS service models of two clients nobody here wrote: every operation
 * of botocore's model (the AWS CLI's) is served at its method and path, and every command of the
 * pinned @aws-sdk/client-fis is one of them. A new operation in either model fails this test until
 * the simulator serves it (or answers it the way FIS does).
 */
describe('FIS operations against the service models', () => {
  let kit: FisTestKit;
  let botocore: ModelOperation[];
  beforeAll(() => {
    botocore = botocoreFisOperations(awsCliPath());
  }, 300_000);
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const key = (o: ModelOperation) => `${o.operation} ${o.method} ${o.path}`;

  it("serves exactly botocore's operations, at their methods and paths", () => {
    expect(botocore.length).toBeGreaterThanOrEqual(26);
    expect(kit.simulator.operations.map(key).sort()).toEqual(botocore.map(key).sort());
  });

  it('covers every command of @aws-sdk/client-fis (3.523, which predates the safety lever)', () => {
    const commands = Object.keys(ClientFis)
      .filter((name) => name.endsWith('Command') && name !== 'Command')
      .map((name) => name.slice(0, -'Command'.length));
    expect(commands.length).toBeGreaterThanOrEqual(24);
    const served = new Set(kit.simulator.operations.map((o) => o.operation));
    expect(commands.filter((c) => !served.has(c))).toEqual([]);
  });

  it('answers every model operation at its URI in FIS wire format (never "no such operation", never a 5xx)', async () => {
    for (const op of botocore) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'resourceArn' ? encodeURIComponent('arn:aws:fis:us-east-1:000000000000:experiment/EXPnope') : 'nope',
      );
      const res = await fetch(`${kit.simulator.url}${path}`, {
        method: op.method,
        headers: { 'content-type': 'application/json' },
        body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
      });
      const type = res.headers.get('x-amzn-errortype');
      const body = (await res.json()) as { message?: string };
      expect({ op: op.operation, status: res.status < 500, known: type !== 'UnknownOperationException' }).toEqual({
        op: op.operation,
        status: true,
        known: true,
      });
      if (res.status >= 400)
        expect({
          op: op.operation,
          type: ['ValidationException', 'ResourceNotFoundException', 'ConflictException'].includes(type ?? ''),
          message: typeof body.message,
        }).toEqual({ op: op.operation, type: true, message: 'string' });
    }
  });
});
