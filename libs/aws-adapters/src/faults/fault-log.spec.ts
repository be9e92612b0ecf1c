import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testResources } from '@imagery/testing/platform/local-aws';
import { createAwsClients } from '../aws-clients';
import { runWithRequestContext } from '../request-context';
import { FaultInjector } from './fault-injector';
import { FaultLogEntry, openFaultLog } from './fault-log';
import { faultRuleSchema } from './fault-rule';

const readLog = (path: string): FaultLogEntry[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FaultLogEntry);

/**
 * A child Node process that loads the fault injector from its TypeScript sources (transpiled on
 * require), installs a crash rule and makes one call inside a client request: the real default
 * crash (SIGKILL of itself) ends it.
 */
const CRASHING_CHILD = `
require('tsconfig-paths/register');
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
  fileName: file,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true },
}).outputText, file);
const [dir, logPath] = process.argv.slice(1);
const { FaultInjector } = require(dir + '/fault-injector.ts');
const { openFaultLog } = require(dir + '/fault-log.ts');
const { runWithRequestContext } = require(dir + '/../request-context.ts');
const log = openFaultLog(logPath, { instance: 'i-worker-2-3', generation: 2 });
const injector = new FaultInjector({ seed: 5, onFault: (e) => log.record(e) });
injector.setRules([
  { id: 'crash-put', service: 'dynamodb', operations: ['PutItem'], percentage: 100, fault: { kind: 'crash', when: 'before' } },
]);
let sent = 0;
const real = { handle: async () => { sent++; return { response: { statusCode: 200, headers: {}, body: undefined } }; } };
const handler = injector.wrap('dynamodb', real);
const request = { method: 'POST', hostname: '127.0.0.1', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, query: {} };
runWithRequestContext({ requestId: 'r-crash', imageId: 'img-7' }, () => handler.handle(request));
setTimeout(() => { process.stdout.write('still alive, sent=' + sent); process.exit(0); }, 2000);
`;

describe('the fault log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fault-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a crash fault is on disk before the process dies (SIGKILL, no cleanup)', () => {
    const logPath = join(dir, 'i-worker-2-3.jsonl');
    const child = spawnSync(process.execPath, ['-e', CRASHING_CHILD, __dirname, logPath], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stdout).not.toContain('still alive');
    expect(child.signal).toBe('SIGKILL');
    const entries = readLog(logPath);
    expect(entries).toHaveLength(1);
    expect(entries[0].type).toBe('nemesis');
    expect(entries[0].event).toEqual({
      kind: 'api-fault',
      instance: 'i-worker-2-3',
      generation: 2,
      service: 'dynamodb',
      operation: 'PutItem',
      fault: 'crash',
      when: 'before',
      rule: 'crash-put',
      call: 1,
      // The first PutItem in the request's context: what an exact replay matches on.
      occurrence: 1,
      requestId: 'r-crash',
      imageId: 'img-7',
    });
  });

  it('an ambiguous fault on a call made inside a client request carries its requestId and imageId, through the SDK', async () => {
    const resources = testResources();
    const logPath = join(dir, 'i-api-1-1.jsonl');
    const log = openFaultLog(logPath, { instance: 'i-api-1-1', generation: 0 });
    const injector = new FaultInjector({ seed: 1, onFault: (e) => log.record(e) });
    const previous = process.env.AWS_MAX_ATTEMPTS;
    process.env.AWS_MAX_ATTEMPTS = '2';
    const clients = createAwsClients({ wrapRequestHandler: injector.wrap });
    try {
      injector.setRules([
        faultRuleSchema.parse({ id: 'amb', service: 'dynamodb', operations: ['UpdateItem'], fault: { kind: 'ambiguous' } }),
      ]);
      const update = () =>
        clients.dynamodb.send(
          new UpdateCommand({
            TableName: resources.tableName,
            Key: { id: randomUUID() },
            UpdateExpression: 'SET version = :v',
            ExpressionAttributeValues: { ':v': 1 },
          }),
        );
      const err: unknown = await runWithRequestContext({ requestId: 'r1', imageId: 'x' }, update).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ECONNRESET' });
      await update().catch(() => undefined); // outside any client request: no requestId
    } finally {
      clients.destroy();
      log.close();
      if (previous === undefined) delete process.env.AWS_MAX_ATTEMPTS;
      else process.env.AWS_MAX_ATTEMPTS = previous;
    }
    const entries = readLog(logPath);
    // Two SDK attempts per call, each one a matched call of the rule, each one logged.
    expect(entries.map((e) => [e.event.call, e.event.requestId ?? '-', e.event.imageId ?? '-'])).toEqual([
      [1, 'r1', 'x'],
      [2, 'r1', 'x'],
      [3, '-', '-'],
      [4, '-', '-'],
    ]);
    expect(
      entries.every((e) => e.event.fault === 'ambiguous' && e.event.operation === 'UpdateItem' && e.event.instance === 'i-api-1-1'),
    ).toBe(true);
    expect(entries.map((e) => e.time)).toEqual([...entries.map((e) => e.time)].sort((a, b) => a - b));
  });
});
