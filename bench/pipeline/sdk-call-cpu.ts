import { Agent, request } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AwsService } from '@imagery/aws-adapters';
import { round3 } from '@imagery/kernel/stats';
import { dynamodbJsonHeaders } from '../../platform/local/emulator/dynamodb-json-headers';
import type { DirectAws } from './direct-aws';
import type { FixtureFile } from './emulator-rate';
import { withScratchQueue } from './scratch-queue';

/**
 * What an AWS call costs the CPU of the process that makes it, through the platform's adapters (the
 * AWS SDK v3 clients, configured as the apps configure them), per service: DynamoDB a GetItem
 * (DynamoDbImageTable.get, as the API's GET /image/:id calls it), S3 a PutObject and a GetObject of the
 * workload's fixtures (S3ObjectStore.put and .get, drained), SQS a message's SendMessage, ReceiveMessage
 * and DeleteMessage (SqsImageQueue, on a queue of the bench's own). And the same GetItem by plain
 * node:http (the same JSON request, its answer parsed): the SDK's own share of a call. Together with the
 * fleet's calls they make the floors under the CPU rows (floors.ts). Measured in the bench process,
 * straight to the emulator, one call at a time, the variants interleaved in rounds so none has the warmer JIT.
 */
export interface SdkCallCpu {
  /** Calls measured per variant. */
  readonly calls: number;
  /** CPU (user + system) per call through the adapters, core-ms. */
  readonly perCallMs: Readonly<Record<AwsService, number>>;
  /** The DynamoDB GetItem by plain node:http. */
  readonly plainHttpMs: number;
}

const ROUNDS = 10;
const CALLS_PER_ROUND = 150;
const S3_KEY = `bench/sdk-call-cpu-${process.pid}`;

export async function measureSdkCallCpu(direct: DirectAws, imageId: string, fixtures: readonly FixtureFile[]): Promise<SdkCallCpu> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await withScratchQueue(direct, 'sdk-call-cpu', async (queue) => {
      let turn = 0;
      const variants: Record<AwsService | 'plain', () => Promise<void>> = {
        dynamodb: async () => {
          if ((await direct.table.get(imageId))?.id !== imageId) throw new Error(`sdk-call-cpu: the adapter did not read ${imageId}`);
        },
        plain: plainGetItem(agent, direct.endpoints.dynamodb, direct.region, direct.tableName, imageId),
        // two calls: a PutObject and a GetObject of the same fixture, each fixture in turn
        s3: async () => {
          const fixture = fixtures[turn++ % fixtures.length];
          await direct.store.put(S3_KEY, createReadStream(fixture.path), 'image/jpeg');
          const body = await direct.store.get(S3_KEY);
          let bytes = 0;
          for await (const chunk of body) bytes += (chunk as Buffer).length;
          if (bytes !== fixture.bytes) throw new Error(`sdk-call-cpu: read ${bytes} bytes of ${S3_KEY}, wrote ${fixture.bytes}`);
        },
        // three calls: a message sent, received and deleted
        sqs: async () => {
          await queue.send({ imageId });
          const [message] = await queue.receive(1, 1, undefined, 30);
          if (!message) throw new Error('sdk-call-cpu: the message sent was not received');
          await queue.delete(message.receiptHandle);
        },
      };
      const callsPerRun = { dynamodb: 1, plain: 1, s3: 2, sqs: 3 };
      const runsPerRound = (v: keyof typeof variants) => Math.ceil(CALLS_PER_ROUND / callsPerRun[v]);
      const cpu = { dynamodb: 0, plain: 0, s3: 0, sqs: 0 };
      const names = Object.keys(variants) as (keyof typeof variants)[];
      for (const v of names) await repeat(variants[v], runsPerRound(v)); // warm-up, left out
      for (let r = 0; r < ROUNDS; r++) for (const v of names) cpu[v] += await cpuOf(() => repeat(variants[v], runsPerRound(v)));
      await direct.store.delete(S3_KEY);
      const perCall = (v: keyof typeof variants) => round3(cpu[v] / (ROUNDS * runsPerRound(v) * callsPerRun[v]));
      return {
        calls: ROUNDS * CALLS_PER_ROUND,
        perCallMs: { dynamodb: perCall('dynamodb'), s3: perCall('s3'), sqs: perCall('sqs') },
        plainHttpMs: perCall('plain'),
      };
    });
  } finally {
    agent.destroy();
  }
}

async function repeat(call: () => Promise<void>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await call();
}

/** This process's CPU (user + system), core-ms, while `work` runs. */
async function cpuOf(work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** GetItem as the document client sends it (DynamoDB's JSON 1.0 protocol), unsigned (dynamodb-json-headers.ts). */
function plainGetItem(agent: Agent, endpoint: string, region: string, tableName: string, id: string): () => Promise<void> {
  const url = new URL(endpoint);
  const body = JSON.stringify({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true });
  const headers = { ...dynamodbJsonHeaders('GetItem', region), 'content-length': String(Buffer.byteLength(body)) };
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const item = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Item?: { id?: { S?: string } } }).Item;
          if (res.statusCode === 200 && item?.id?.S === id) resolve();
          else reject(new Error(`sdk-call-cpu: plain GetItem of ${id}: HTTP ${res.statusCode}`));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}
