import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from '@imagery/aws-adapters';
import { pushFaultRules } from './push-fault-rules';

const RULES: FaultRule[] = [{ id: 'r', service: 'dynamodb', operations: ['UpdateItem'], percentage: 100, fault: { kind: 'throttle' } }];

/** A control endpoint that answers each PUT as `answer` says (by its number, from 1), counting them. */
async function endpoint(answer: (n: number, res: ServerResponse) => void): Promise<{ url: string; puts: () => number; close(): void }> {
  let puts = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => answer(++puts, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    puts: () => puts,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const ok = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]');

describe('pushFaultRules', () => {
  it('sends the PUT again when an instance is too slow to answer, and succeeds once it does', async () => {
    // the first PUT is answered after the attempt's timeout, as a swamped instance would
    const slowFirst = await endpoint((n, res) => (n === 1 ? setTimeout(() => ok(res), 600) : ok(res)));
    try {
      await pushFaultRules(slowFirst.url, RULES, { attemptTimeoutMs: 200, budgetMs: 5_000 });
      expect(slowFirst.puts()).toBe(2);
    } finally {
      slowFirst.close();
    }
  });

  it('gives up after its budget when the instance never answers, naming the attempts', async () => {
    const silent = await endpoint(() => undefined);
    try {
      const started = Date.now();
      await expect(pushFaultRules(silent.url, RULES, { attemptTimeoutMs: 100, budgetMs: 700 })).rejects.toThrow(
        /no answer in 700 ms \(\d+ attempts\)/,
      );
      expect(silent.puts()).toBeGreaterThanOrEqual(2);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });

  it('fails at once, without trying again, when the instance refuses the rules', async () => {
    const refusing = await endpoint((_, res) => res.writeHead(400).end('bad rules'));
    try {
      await expect(pushFaultRules(refusing.url, RULES, { attemptTimeoutMs: 200, budgetMs: 5_000 })).rejects.toThrow('HTTP 400 bad rules');
      expect(refusing.puts()).toBe(1);
    } finally {
      refusing.close();
    }
  });

  it('fails at once when nothing listens (the instance is gone)', async () => {
    const gone = await endpoint((_, res) => ok(res));
    gone.close();
    const started = Date.now();
    await expect(pushFaultRules(gone.url, RULES, { attemptTimeoutMs: 200, budgetMs: 5_000 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
