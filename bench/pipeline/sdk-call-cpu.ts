import { Agent, request } from 'node:http';
import { round3 } from '@imagery/kernel/stats';
import { dynamodbJsonHeaders } from '../../platform/local/emulator/dynamodb-json-headers';
import type { DirectAws } from './direct-aws';

/**
 * What one DynamoDB read costs the CPU of the process that makes it, through the platform's adapter
 * (DynamoDbImageTable.get: the AWS SDK v3 document client, as the API's GET /image/:id calls it) and
 * as the same exchange by plain node:http (the same JSON request, its answer parsed): the SDK's own
 * share of a call, the floor under the API's CPU per request. Measured in the bench process, straight
 * to the emulator, one call at a time, the two interleaved in rounds so neither has the warmer JIT.
 */
export interface SdkCallCpu {
  readonly calls: number;
  /** CPU (user + system) per call, core-ms. */
  readonly adapterMs: number;
  readonly plainHttpMs: number;
}

const ROUNDS = 10;
const CALLS_PER_ROUND = 150;

export async function measureSdkCallCpu(direct: DirectAws, imageId: string): Promise<SdkCallCpu> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const viaAdapter = async (): Promise<void> => {
      if ((await direct.table.get(imageId))?.id !== imageId) throw new Error(`sdk-call-cpu: the adapter did not read ${imageId}`);
    };
    const viaHttp = plainGetItem(agent, direct.endpoints.dynamodb, direct.region, direct.tableName, imageId);
    await repeat(viaAdapter, CALLS_PER_ROUND); // warm-up, left out
    await repeat(viaHttp, CALLS_PER_ROUND);
    let adapter = 0;
    let plain = 0;
    for (let r = 0; r < ROUNDS; r++) {
      adapter += await cpuOf(() => repeat(viaAdapter, CALLS_PER_ROUND));
      plain += await cpuOf(() => repeat(viaHttp, CALLS_PER_ROUND));
    }
    const calls = ROUNDS * CALLS_PER_ROUND;
    return { calls, adapterMs: round3(adapter / calls), plainHttpMs: round3(plain / calls) };
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
