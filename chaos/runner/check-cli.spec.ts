import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '@imagery/aws-adapters';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { main } from './check-cli';
import { IDS, T0, attempt, completeHistory, journey, nemesis } from '@imagery/testing/checker/run-builder';

/** A FIS action that killed an instance: a fault that fired. Without its `instance` entry, one that did not. */
const kill = (fired = true): HistoryEntry[] => [
  nemesis(T0 - 20, {
    kind: 'fis-action',
    phase: 'start',
    experimentId: 'EXP1',
    action: 'kill-api',
    actionId: 'aws:ec2:terminate-instances',
  }),
  ...(fired
    ? [nemesis(T0 - 10, { kind: 'instance', phase: 'terminated', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 })]
    : []),
  nemesis(T0, { kind: 'fis-action', phase: 'end', experimentId: 'EXP1', action: 'kill-api', actionId: 'aws:ec2:terminate-instances' }),
];

/** The CLI end to end: a history file and an emulator stack in, a verdict and an exit code out. */
const [A, B] = IDS;
let stack: TestStack;
let dir: string;
/** What the CLI printed (console.log and console.error). */
let out: string[];

const historyFile = (name: string, entries: HistoryEntry[], tail = ''): string => {
  const path = join(dir, name);
  writeFileSync(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\n' + tail);
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

describe('checker cli: the verdict and its exit code', () => {
  it('exits 0 with a PASS when nothing is violated, the history is complete and its faults fired', async () => {
    const code = await main(['--history', historyFile('empty.jsonl', completeHistory(kill()))], { ...process.env, ...stack.env });
    expect(out.join('\n')).toContain('check: PASS');
    expect(out.join('\n')).toContain('verdict: PASS');
    expect(code).toBe(0);
  });

  it('false PASS fixed: exits 1 on an aborted workload, whatever the checker found', async () => {
    const code = await main(['--history', historyFile('aborted.jsonl', completeHistory(kill(), { outcome: 'aborted' }))], {
      ...process.env,
      ...stack.env,
    });
    expect(out.join('\n')).toContain('verdict: INCOMPLETE\n  - workload (INCOMPLETE): the workload was aborted');
    expect(code).toBe(1);
  });

  it('false PASS fixed: exits 3 (INCONCLUSIVE, not FAIL) when its fault actions had no effect', async () => {
    const code = await main(['--history', historyFile('no-chaos.jsonl', completeHistory(kill(false)))], { ...process.env, ...stack.env });
    expect(out.join('\n')).toContain(
      'verdict: INCONCLUSIVE\n  - faults (INCONCLUSIVE): fault action kill-api (aws:ec2:terminate-instances) had no effect',
    );
    expect(code).toBe(3);
  });

  it('false PASS fixed: exits 1 on a crossed threshold recorded in the workload end', async () => {
    const thresholds = [{ metric: 'journey_failed', expression: 'rate<=0.01', ok: false, value: 0.5 }];
    const history = completeHistory(kill()).map((e) => (e.type === 'workload' && e.phase === 'end' ? { ...e, thresholds } : e));
    const code = await main(['--history', historyFile('crossed.jsonl', history)], { ...process.env, ...stack.env });
    expect(out.join('\n')).toContain('  - thresholds (FAIL): threshold journey_failed: rate<=0.01 crossed: value 0.5');
    expect(code).toBe(1);
  });

  it('exits 1 on a history cut short (a last line half written, an open invocation)', async () => {
    const cut = completeHistory(attempt({ op: 'create', id: '5e5e5e5e-6c1e-4d8b-9a55-1f1d2c3b4a05', at: T0, type: 'open' }), {
      end: false,
    });
    const code = await main(['--history', historyFile('cut.jsonl', cut, '{"type":"ok","ti')], { ...process.env, ...stack.env });
    expect(out.join('\n')).toContain('history incomplete: no workload end; 1 invocation(s) without a completion');
    expect(code).toBe(1);
  });
});

describe('checker cli: violations and usage', () => {
  it('exits 1 and lists the violations with their ids and provenance, writing the result as JSON on request', async () => {
    const clients = createAwsClients({ s3ForcePathStyle: true });
    try {
      await clients.dynamodb.send(
        new PutCommand({ TableName: stack.resources.tableName, Item: { id: B, version: 1, state: 'uploaded', createdAt: Date.now() } }),
      );
    } finally {
      clients.destroy();
    }
    const json = join(dir, 'result.json');
    const history = completeHistory([
      ...journey(A),
      ...attempt({ op: 'create', id: B, at: T0 + 5, process: 2, type: 'ok', version: 0, state: 'created' }),
    ]);
    const code = await main(['--history', historyFile('lost.jsonl', history), '--json', json], { ...process.env, ...stack.env });
    const printed = out.join('\n');
    expect(code).toBe(1);
    expect(printed).toContain(
      `✗ every-image-ends: 2 violations, 2 ids\n  - [${A}] acknowledged upload (attempt 1), but there is no item; no fault touched it`,
    );
    expect(printed).toContain(`  - [${B}] no client uploaded stuck in \`uploaded\` (v1); no fault touched it`);
    // (B also names no raw object: objects-exist)
    expect(printed).toMatch(/check: FAIL \(3 violation\(s\)\)/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({
      ok: false,
      stats: { operations: 5, items: 1 },
      violations: [{ provenance: { image: A } }, { provenance: { image: B } }, { invariant: 'objects-exist', provenance: { image: B } }],
    });
  });

  it('exits 2 on a usage or configuration error', async () => {
    expect(await main([], {})).toBe(2);
    expect(out.join('\n')).toContain('--history is required');
    expect(out.join('\n')).toContain('IMAGES_TABLE is not set');
    expect(await main(['--history', 'x.jsonl', '--sample', 'many'], { ...process.env, ...stack.env })).toBe(2);
  });
});
