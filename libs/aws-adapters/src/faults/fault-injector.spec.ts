import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { eventually } from '@imagery/testing/eventually';
import { testResources } from '@imagery/testing/platform/local-aws';
import { AwsClients, createAwsClients } from '../aws-clients';
import { FaultEvent, FaultInjector } from './fault-injector';
import { FaultRuleInput, faultRuleSchema } from './fault-rule';

/** Each fault kind against the real emulator, observed through the SDK exactly as the apps see it. */
describe('FaultInjector against the emulator', () => {
  const resources = testResources();
  let events: FaultEvent[];
  let injector: FaultInjector;
  let clients: AwsClients;
  const rule = (r: FaultRuleInput) => faultRuleSchema.parse(r);

  beforeEach(() => {
    events = [];
    injector = new FaultInjector({ seed: 42, onFault: (e) => events.push(e), crash: () => events.push({ kind: 'crash' } as FaultEvent) });
    process.env.AWS_MAX_ATTEMPTS = '3';
    clients = createAwsClients({ s3ForcePathStyle: true, wrapRequestHandler: injector.wrap });
  });
  afterEach(() => {
    clients.destroy();
    delete process.env.AWS_MAX_ATTEMPTS;
  });

  const getItem = (id: string) =>
    clients.dynamodb.send(new GetCommand({ TableName: resources.tableName, Key: { id }, ConsistentRead: true }));

  it('internal-error: the SDK parses it as InternalServerError and retries every attempt', async () => {
    injector.setRules([rule({ id: 'r', service: 'dynamodb', operations: ['GetItem'], fault: { kind: 'internal-error' } })]);
    const err: unknown = await getItem(randomUUID()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500, attempts: 3 } });
    expect(events).toHaveLength(3);
  });

  it('throttle on the 1st SendMessage only: the SDK retries and the second attempt succeeds', async () => {
    injector.setRules([rule({ id: 't', service: 'sqs', operations: ['SendMessage'], nth: 1, fault: { kind: 'throttle' } })]);
    const out = await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.queueUrl.replace(/^https?:\/\/[^/]+/, process.env.AWS_ENDPOINT_URL_SQS!),
        MessageBody: '{"probe":true}',
      }),
    );
    expect(out.MessageId).toBeDefined();
    expect(out.$metadata.attempts).toBe(2);
    expect(events.map((e) => `${e.service}:${e.operation}:${e.kind}`)).toEqual(['sqs:SendMessage:throttle']);
  });

  it('unavailable on S3 PutObject: ServiceUnavailable after the retries, and nothing else is touched', async () => {
    injector.setRules([rule({ id: 'u', service: 's3', operations: ['PutObject'], fault: { kind: 'unavailable' } })]);
    const err: unknown = await clients.s3
      .send(new PutObjectCommand({ Bucket: resources.bucketName, Key: `probe/${randomUUID()}`, Body: 'x' }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    expect((await getItem(randomUUID())).$metadata.httpStatusCode).toBe(200);
  });

  it('latency: the call succeeds, late', async () => {
    injector.setRules([rule({ id: 'l', service: 'dynamodb', operations: ['GetItem'], fault: { kind: 'latency', ms: 300 } })]);
    const started = Date.now();
    await getItem(randomUUID());
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('ambiguous UpdateItem: applied by the service, yet reported to the caller as failed', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1';
    const single = createAwsClients({ wrapRequestHandler: injector.wrap });
    const id = randomUUID();
    await single.dynamodb.send(new PutCommand({ TableName: resources.tableName, Item: { id, version: 0, state: 'created' } }));
    injector.setRules([rule({ id: 'a', service: 'dynamodb', operations: ['UpdateItem'], fault: { kind: 'ambiguous' } })]);
    const err: unknown = await single.dynamodb
      .send(
        new UpdateCommand({
          TableName: resources.tableName,
          Key: { id },
          UpdateExpression: 'SET version = :v',
          ExpressionAttributeValues: { ':v': 1 },
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'ECONNRESET' });
    injector.setRules([]);
    expect((await getItem(id)).Item).toMatchObject({ version: 1 });
    single.destroy();
  });

  it('crash before: the call never reaches the service; crash after: it does', async () => {
    const id = randomUUID();
    injector.setRules([rule({ id: 'c', service: 'dynamodb', operations: ['PutItem'], fault: { kind: 'crash', when: 'before' } })]);
    const before = clients.dynamodb.send(new PutCommand({ TableName: resources.tableName, Item: { id, version: 0 } }));
    await eventually(() => (events.some((e) => e.kind === 'crash') ? true : undefined), 5_000, 'the crash fault');
    void before; // never settles: the process would be gone
    expect((await getItem(id)).Item).toBeUndefined();

    events = [];
    injector.setRules([rule({ id: 'c2', service: 'dynamodb', operations: ['PutItem'], fault: { kind: 'crash', when: 'after' } })]);
    void clients.dynamodb.send(new PutCommand({ TableName: resources.tableName, Item: { id, version: 7 } }));
    await eventually(() => (events.some((e) => e.kind === 'crash') ? true : undefined), 5_000, 'the crash fault');
    injector.setRules([]);
    expect((await getItem(id)).Item).toMatchObject({ version: 7 });
  });

  it('a percentage is a seeded choice: the same seed makes the same decisions', () => {
    const decisions = (seed: number) => {
      const i = new FaultInjector({ seed });
      i.setRules([rule({ id: 'p', service: 'sqs', percentage: 30, fault: { kind: 'internal-error' } })]);
      return Array.from({ length: 200 }, () => (i.choose('sqs', 'SendMessage') ? 1 : 0)).join('');
    };
    expect(decisions(7)).toBe(decisions(7));
    expect(decisions(7)).not.toBe(decisions(8));
    const share = [...decisions(7)].filter((d) => d === '1').length / 200;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('rules match service and operation only, and expire', () => {
    let now = 1_000;
    const i = new FaultInjector({ seed: 1, now: () => now });
    i.setRules([rule({ id: 'e', service: 'dynamodb', operations: ['UpdateItem'], expiresAt: 2_000, fault: { kind: 'unavailable' } })]);
    expect(i.choose('dynamodb', 'GetItem')).toBeUndefined();
    expect(i.choose('sqs', 'UpdateItem')).toBeUndefined();
    expect(i.choose('dynamodb', 'UpdateItem')?.id).toBe('e');
    now = 2_000;
    expect(i.choose('dynamodb', 'UpdateItem')).toBeUndefined();
    expect(i.rules()).toEqual([]);
  });

  it('nth counts matching calls: only the 3rd UpdateItem breaks', () => {
    const i = new FaultInjector({ seed: 1 });
    i.setRules([rule({ id: 'n', service: 'dynamodb', operations: ['UpdateItem'], nth: 3, fault: { kind: 'internal-error' } })]);
    const hits = Array.from({ length: 5 }, () => i.choose('dynamodb', 'UpdateItem')?.id ?? '-');
    expect(hits).toEqual(['-', '-', 'n', '-', '-']);
  });

  it('invalid rules are refused by the schema', () => {
    expect(() => rule({ id: 'x', service: 'ec2' as never, fault: { kind: 'internal-error' } })).toThrow();
    expect(() => rule({ id: 'x', service: 'sqs', percentage: 150, fault: { kind: 'internal-error' } })).toThrow();
    expect(() => rule({ id: 'x', service: 'sqs', fault: { kind: 'explode' } as never })).toThrow();
  });
});
