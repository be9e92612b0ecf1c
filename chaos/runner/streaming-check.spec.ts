import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { IDS, journey, processedItem, storedBytes, uploadedItem } from '@imagery/testing/checker/run-builder';
import type { StoredItem } from '@imagery/checker';
import { StreamingCheck, type StreamingCheckOptions } from './streaming-check';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

/** The FIS simulator's alarm endpoint: every state set, in order. */
async function alarmServer(): Promise<{ server: Server; url: string; states: string[] }> {
  const states: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      states.push((JSON.parse(body) as { stateValue: string }).stateValue);
      res.end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, states };
}

/** A table and a bucket in memory, behind the two commands each client is sent; `gets` counts object reads by key. */
function fakeStores(items: () => StoredItem[], options: { readonly slowBatchGet?: Promise<void> } = {}) {
  const gets = new Map<string, number>();
  const read = storedBytes();
  const dynamodb = {
    send: async (command: unknown) => {
      if (!(command instanceof BatchGetCommand)) throw new Error('unexpected DynamoDB command');
      await options.slowBatchGet;
      return { Responses: { images: items() } };
    },
  };
  // A real client (the paginator insists on one) whose requests never leave the process.
  const s3 = Object.assign(new S3Client({ region: 'us-east-1' }), {
    send: async (command: unknown) => {
      if (command instanceof ListObjectsV2Command) {
        const keys = items().flatMap((i) => (i.processedS3Key ? [i.processedS3Key] : []));
        return { Contents: keys.map((Key) => ({ Key, Size: 1 })) };
      }
      if (command instanceof GetObjectCommand) {
        const key = command.input.Key!;
        gets.set(key, (gets.get(key) ?? 0) + 1);
        const bytes = await read(key);
        return { ETag: `"${key.length}"`, Body: { transformToByteArray: () => Promise.resolve(new Uint8Array(bytes)) } };
      }
      throw new Error('unexpected S3 command');
    },
  });
  return { clients: { dynamodb, s3 } as unknown as StreamingCheckOptions['clients'], gets };
}

describe('the streaming check', () => {
  const [A, B, C] = IDS;
  let alarm: Awaited<ReturnType<typeof alarmServer>>;
  let workloadPath: string;

  beforeEach(async () => {
    alarm = await alarmServer();
    workloadPath = join(tempDir('streaming-check-'), 'workload.jsonl');
    writeFileSync(
      workloadPath,
      [A, B, C]
        .flatMap((id) => journey(id))
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
  });
  afterEach(async () => {
    alarm.server.closeAllConnections();
    await new Promise<void>((ok) => alarm.server.close(() => ok()));
  });

  const optionsOf = (clients: StreamingCheckOptions['clients']): StreamingCheckOptions => ({
    workloadPath,
    clients,
    tableName: 'images',
    bucket: 'bucket',
    fisUrl: alarm.url,
    intervalMs: 20,
    log: () => undefined,
  });

  it('judges each processed image once while it runs (under the ETags read), and no image before it is processed', async () => {
    let items: StoredItem[] = [processedItem(A), uploadedItem(B), uploadedItem(C)];
    const { clients, gets } = fakeStores(() => items);
    const check = new StreamingCheck(optionsOf(clients));
    await check.start();
    await sleep(200);
    expect(check.judgements.size).toEqual({ digests: 1, sepias: 1 });
    items = [processedItem(A), processedItem(B), uploadedItem(C)];
    await sleep(200);
    expect(await check.stop()).toEqual([]);
    expect(check.judgements.size).toEqual({ digests: 2, sepias: 2 });
    // Many passes saw A processed; its two objects were read once each.
    expect([...gets.values()]).toEqual([1, 1, 1, 1]);
    expect(alarm.states).toEqual(['OK', 'OK']);
  });

  it('stops without waiting for a pass under way, and clears the alarm', async () => {
    const never = new Promise<void>(() => undefined);
    const { clients } = fakeStores(() => [processedItem(A)], { slowBatchGet: never });
    const check = new StreamingCheck(optionsOf(clients));
    await check.start();
    await sleep(50);
    const stopped = await Promise.race([check.stop().then(() => 'stopped'), sleep(1_000).then(() => 'still waiting')]);
    expect(stopped).toBe('stopped');
    expect(alarm.states).toEqual(['OK', 'OK']);
  });
});
