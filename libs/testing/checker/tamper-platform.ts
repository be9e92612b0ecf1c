import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHistoryFile } from '@imagery/history/history-file';
import { main } from '../../../chaos/runner/check-cli';
import { baselineFromJson } from '@imagery/checker/store-baseline';
import { findRunningPlatform } from '../../../platform/local/running-platform';

/**
 * An adversary at work on the running platform (`npm start`), after a real run: each tampering
 * below changes the store the way a third party or a bug touching the wrong id could, then the
 * checker's CLI judges the run again (its history and its baseline) and must name the invariant;
 * the tampering is undone and the run must pass again. Not part of `npm test`; run it with
 *   REPORT_DIR=chaos/reports/<run> npx jest --testRegex 'tamper-platform\.ts$' libs/testing/checker/tamper-platform.ts
 */
const reportDir = process.env.REPORT_DIR ?? '';
if (!reportDir) throw new Error('REPORT_DIR=<a run report folder of the running platform> is required');

describe('tampering with the running platform after a run', () => {
  let env: Record<string, string>;
  let clients: AwsClients;
  let earlier: Record<string, unknown>[];
  let ours: Record<string, unknown>[];
  const table = () => env.IMAGES_TABLE;
  const bucket = () => env.IMAGES_BUCKET;

  beforeAll(async () => {
    const platform = await findRunningPlatform();
    if (!platform) throw new Error('no running platform: start one with `npm start`');
    env = { ...platform.directEnv };
    Object.assign(process.env, env, { S3_FORCE_PATH_STYLE: 'true' });
    clients = createAwsClients({ s3ForcePathStyle: true });
    const baseline = baselineFromJson(JSON.parse(readFileSync(join(reportDir, 'baseline.json'), 'utf8')) as object);
    const history = (await readHistoryFile(join(reportDir, 'history.jsonl'))).entries;
    const named = new Set(history.flatMap((e) => ('id' in e ? [e.id] : [])));
    const get = async (id: string) => (await clients.dynamodb.send(new GetCommand({ TableName: table(), Key: { id } }))).Item!;
    const processed = (ids: string[]) => ids.filter((id) => baseline.items.get(id)?.state === 'processed' || !baseline.items.has(id));
    earlier = await Promise.all(
      processed([...baseline.items.keys()].filter((id) => !named.has(id)))
        .slice(0, 3)
        .map(get),
    );
    ours = (
      await Promise.all([...named].slice(0, 40).map((id) => clients.dynamodb.send(new GetCommand({ TableName: table(), Key: { id } }))))
    )
      .flatMap((r) => (r.Item?.state === 'processed' ? [r.Item] : []))
      .slice(0, 2);
    if (earlier.length < 3 || ours.length < 2)
      throw new Error('needs a platform with an earlier run (3 processed images) and this run (2)');
  });
  afterAll(() => clients?.destroy());

  async function judged(): Promise<{ code: number; found: string[] }> {
    const out = join(reportDir, 'tamper-check.json');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const code = await main(
        ['--history', join(reportDir, 'history.jsonl'), '--baseline', join(reportDir, 'baseline.json'), '--json', out],
        process.env,
      );
      const { violations } = JSON.parse(readFileSync(out, 'utf8')) as { violations: { invariant: string }[] };
      return { code, found: [...new Set(violations.map((v) => v.invariant))].sort() };
    } finally {
      log.mockRestore();
    }
  }
  const put = (item: Record<string, unknown>) => clients.dynamodb.send(new PutCommand({ TableName: table(), Item: item }));
  const bytes = async (key: string) =>
    Buffer.from(await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body!.transformToByteArray());
  const putObject = (key: string, body: Buffer) => clients.s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
  const deleteObject = (key: string) => clients.s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));

  interface Tampering {
    readonly what: string;
    readonly expected: string;
    run(): Promise<() => Promise<unknown>>;
  }
  const TAMPERINGS: Tampering[] = [
    {
      what: "an earlier image's processed object replaced by its raw bytes (not sepia)",
      expected: 'sepia',
      run: async () => {
        const key = earlier[0].processedS3Key as string;
        const was = await bytes(key);
        await putObject(key, await bytes(earlier[0].rawS3Key as string));
        return () => putObject(key, was);
      },
    },
    {
      what: "an earlier item pointed at another earlier image's processed object (timestamps untouched)",
      expected: 'objects-owned',
      run: async () => {
        await put({ ...earlier[1], processedS3Key: earlier[2].processedS3Key, version: (earlier[1].version as number) + 1 });
        return () => put(earlier[1]);
      },
    },
    {
      what: 'an earlier item deleted',
      expected: 'every-image-ends',
      run: async () => {
        await clients.dynamodb.send(new DeleteCommand({ TableName: table(), Key: { id: earlier[2].id } }));
        return () => put(earlier[2]);
      },
    },
    {
      what: "an earlier image's raw object overwritten with other bytes under its content-addressed key",
      expected: 'raw-matches-key',
      run: async () => {
        const key = earlier[0].rawS3Key as string;
        const was = await bytes(key);
        await putObject(key, Buffer.concat([was, Buffer.from('tampered')]));
        return () => putObject(key, was);
      },
    },
    {
      what: 'an earlier processed item moved to `failed` with no reason, its version bumped',
      expected: 'monotonic',
      run: async () => {
        await put({ ...earlier[1], state: 'failed', version: (earlier[1].version as number) + 1 });
        return () => put(earlier[1]);
      },
    },
    {
      what: 'a stray object outside the image prefixes',
      expected: 'nothing-duplicated',
      run: async () => {
        const key = `tmp/${randomUUID()}`;
        await putObject(key, Buffer.from('left behind'));
        return () => deleteObject(key);
      },
    },
    {
      what: 'a back-dated processed item nobody created, with its own objects',
      expected: 'nothing-duplicated',
      run: async () => {
        const id = randomUUID();
        const raw = `upload/${id}/${(earlier[0].rawS3Key as string).split('/')[2]}`;
        const processedKey = `processed/${id}.jpg`;
        await putObject(raw, await bytes(earlier[0].rawS3Key as string));
        await putObject(processedKey, await bytes(earlier[0].processedS3Key as string));
        await put({ ...earlier[0], id, rawS3Key: raw, processedS3Key: processedKey });
        return async () => {
          await clients.dynamodb.send(new DeleteCommand({ TableName: table(), Key: { id } }));
          await deleteObject(raw);
          await deleteObject(processedKey);
        };
      },
    },
    {
      what: "this run's image pointed at the other's processed object",
      expected: 'objects-owned',
      run: async () => {
        await put({ ...ours[0], processedS3Key: ours[1].processedS3Key, version: (ours[0].version as number) + 1 });
        return () => put(ours[0]);
      },
    },
    {
      what: "a dead letter naming this run's image",
      expected: 'drained',
      run: async () => {
        await clients.sqs.send(
          new SendMessageCommand({ QueueUrl: env.IMAGES_DLQ_URL, MessageBody: JSON.stringify({ imageId: ours[1].id }) }),
        );
        return () => Promise.resolve(); // a dead letter stays: this one runs last
      },
    },
  ];

  it('passes the run as it was left', async () => {
    expect(await judged()).toEqual({ code: 0, found: [] });
  });

  it.each(TAMPERINGS.map((t) => [t.what, t] as const))('%s', async (_what, t) => {
    const undo = await t.run();
    const verdict = await judged();
    console.info(`${t.what}: exit ${verdict.code}, ${verdict.found.join(', ') || 'no violation'}`);
    await undo();
    expect(verdict.code).toBe(1);
    expect(verdict.found).toContain(t.expected);
  });
});
