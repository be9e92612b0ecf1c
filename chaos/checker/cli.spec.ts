import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '@imagery/aws-adapters';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HISTORY_METRIC, type HistoryEvent } from '../history/history-event';
import { deployFreshStack, type TestStack } from '../../test/local-aws';
import { main } from './cli';
import { IDS, journey } from './test/run-builder';

/** The CLI end to end: a k6 JSON output file and an emulator stack in, a verdict and an exit code out. */
describe('checker cli', () => {
  const [A, B] = IDS;
  let stack: TestStack;
  let dir: string;
  let out: string[];

  /** k6's JSON output: a metric declaration, then one Point per event with the fields as tags. */
  const k6Output = (events: HistoryEvent[]): string => {
    const lines = [{ type: 'Metric', metric: HISTORY_METRIC, data: { name: HISTORY_METRIC, type: 'trend' } }];
    for (const e of events) {
      const tags = Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
      lines.push({ type: 'Point', metric: HISTORY_METRIC, data: { time: new Date(e.end).toISOString(), value: e.end - e.start, tags } } as never);
    }
    return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  };
  const historyFile = (name: string, events: HistoryEvent[]): string => {
    const path = join(dir, name);
    writeFileSync(path, k6Output(events));
    return path;
  };

  beforeAll(async () => {
    stack = await deployFreshStack('checker-cli');
    dir = mkdtempSync(join(tmpdir(), 'checker-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    out = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  it('exits 0 with a PASS verdict when nothing is violated', async () => {
    const code = await main(['--history', historyFile('empty.json', [])], { ...process.env, ...stack.env });
    expect(out.join('\n')).toContain('verdict: PASS');
    expect(code).toBe(0);
  });

  it('exits 1 and lists the violations with their ids, writing the result as JSON on request', async () => {
    const clients = createAwsClients({ s3ForcePathStyle: true });
    try {
      await clients.dynamodb.send(new PutCommand({ TableName: stack.resources.tableName, Item: { id: B, version: 0, state: 'created' } }));
    } finally {
      clients.destroy();
    }
    const json = join(dir, 'result.json');
    const code = await main(['--history', historyFile('lost.json', journey(A)), '--sample', '0', '--json', json], { ...process.env, ...stack.env });
    const printed = out.join('\n');
    expect(code).toBe(1);
    expect(printed).toContain(`✗ nothing-lost: 1 violation, 1 id\n  - [${A}] upload acknowledged (200), but there is no item`);
    expect(printed).toContain(`✗ nothing-duplicated: 1 violation, 1 id\n  - [${B}] an item nobody created (v0 created)`);
    expect(printed).toMatch(/verdict: FAIL \(2 violation\(s\)\)/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ ok: false, stats: { events: 4, items: 1 } });
  });

  it('exits 2 on a usage or configuration error', async () => {
    expect(await main([], {})).toBe(2);
    expect(out.join('\n')).toContain('--history is required');
    expect(out.join('\n')).toContain('IMAGES_TABLE is not set');
    expect(await main(['--history', 'x.json', '--sample', 'many'], { ...process.env, ...stack.env })).toBe(2);
  });
});
