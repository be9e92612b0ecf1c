import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { makeJpeg, sha256Of } from '@imagery/testing/platform/test-images';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { judgeRun } from './judge-run';
import { IDS, T0, completeHistory, journey, nemesis } from '@imagery/testing/checker/run-builder';
import { renderSepia } from '@imagery/testing/checker/sepia-rendering';

/**
 * The runner's one call, against the emulator: a clean processed image and an earlier run's dead
 * letter → PASS; the same with a drain that timed out → FAIL.
 */
describe('judgeRun', () => {
  const [A] = IDS;
  let stack: TestStack;
  let clients: AwsClients;
  let history: HistoryEntry[];

  beforeAll(async () => {
    stack = await deployFreshStack('judge-run');
    clients = createAwsClients({ s3ForcePathStyle: true });
    const raw = await makeJpeg(200, 120, { seed: 4 });
    const sha = sha256Of(raw);
    // An instance killed during the run: the faults had an effect (a run with none is INCONCLUSIVE).
    const kill = { kind: 'fis-action' as const, experimentId: 'EXP1', action: 'kill-api', actionId: 'aws:ec2:terminate-instances' };
    history = completeHistory([
      ...journey(A, T0, 1).map((e) => ('sha256' in e ? { ...e, sha256: sha } : e)),
      nemesis(T0 - 20, { ...kill, phase: 'start' }),
      nemesis(T0 - 10, { kind: 'instance', phase: 'terminated', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 }),
      nemesis(T0 - 5, { ...kill, phase: 'end', state: 'completed' }),
    ]);
    const put = (key: string, body: Buffer) =>
      clients.s3.send(new PutObjectCommand({ Bucket: stack.resources.bucketName, Key: key, Body: body }));
    await clients.dynamodb.send(
      new PutCommand({
        TableName: stack.resources.tableName,
        Item: { id: A, version: 2, state: 'processed', rawS3Key: rawKeyOf(A, sha), processedS3Key: processedKeyOf(A), createdAt: T0 },
      }),
    );
    await put(rawKeyOf(A, sha), raw);
    await put(processedKeyOf(A), await renderSepia(raw));
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.env.IMAGES_DLQ_URL,
        MessageBody: JSON.stringify({ imageId: '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99' }),
      }),
    );
  });
  afterAll(() => clients?.destroy());

  const judge = (drained: boolean) =>
    judgeRun({
      history,
      tableName: stack.resources.tableName,
      bucket: stack.resources.bucketName,
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
      clients,
      thresholds: [],
      drain: { drained, waitedMs: 30_000 },
      faultsPlanned: true,
    });

  it('PASS: every object read and compared, the old dead letter ignored', async () => {
    const judged = await judge(true);
    expect(judged.check.stats).toMatchObject({ rawHashed: 1, sepiaChecked: 1, deadLetters: 0, deadLettersIgnored: 1 });
    expect(judged.verdict).toEqual({ outcome: 'PASS', reasons: [] });
  });

  it('FAIL when the drain timed out, whatever the checker says', async () => {
    const judged = await judge(false);
    expect(judged.check.ok).toBe(true);
    expect(judged.verdict.outcome).toBe('FAIL');
    expect(judged.verdict.reasons.map((r) => r.condition)).toEqual(['drain']);
  });
});
