import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOG_FLUSH_MS, batchedDestination } from './batched-destination';

describe('batchedDestination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-batch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a lone line is written within the flush period, not held until the buffer fills', async () => {
    const file = join(dir, 'lone.log');
    const destination = batchedDestination(file) as ReturnType<typeof batchedDestination> & { end(): void };
    destination.write('{"msg":"one"}\n');
    await sleep(LOG_FLUSH_MS * 3);
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"one"}\n');
    destination.end();
  });

  it('many lines arrive whole and in order', async () => {
    const file = join(dir, 'many.log');
    const destination = batchedDestination(file) as ReturnType<typeof batchedDestination> & { end(): void };
    const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines) destination.write(line);
    await sleep(LOG_FLUSH_MS * 3);
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
    destination.end();
  });
});
