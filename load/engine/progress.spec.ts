import { PassThrough } from 'node:stream';
import { progressLine, terminalProgress, type WorkloadProgress } from './progress';

const at = (elapsedMs: number, requests: number): WorkloadProgress => ({
  elapsedMs,
  totalMs: 30_000,
  requests,
  errors: 3,
  retries: 2,
  dropped: 1,
  processed: 118,
  ids: 120,
  activeJourneys: 9,
  journeysOk: 110,
  journeysFailed: 1,
});

describe('progress line', () => {
  it('says requests and their rate, errors, retries, drops, processed/ids, elapsed/total', () => {
    expect(progressLine(at(12_000, 1200))).toBe(
      '12s/30s  req 1200 (100/s)  err 3  retries 2  dropped 1  processed 118/120 ids  active 9  journeys 110 ok 1 failed',
    );
  });

  it('off a terminal: a new line every few seconds, not one per update', () => {
    const out = new PassThrough();
    const text: string[] = [];
    out.on('data', (chunk: Buffer) => text.push(chunk.toString()));
    const progress = terminalProgress(out as unknown as NodeJS.WriteStream, 5_000);
    for (let s = 1; s <= 12; s++) progress.update(at(s * 1000, s * 100));
    progress.end();
    expect(
      text
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['1.0s/30s', '6.0s/30s', '11s/30s']);
  });

  it('on a terminal: the line is rewritten in place and ended once', () => {
    const out = new PassThrough();
    const text: string[] = [];
    out.on('data', (chunk: Buffer) => text.push(chunk.toString()));
    const progress = terminalProgress(Object.assign(out, { isTTY: true }) as unknown as NodeJS.WriteStream);
    progress.update(at(1000, 100));
    progress.update(at(2000, 200));
    progress.end();
    expect(text).toEqual([`\r\x1b[2K${progressLine(at(1000, 100))}`, `\r\x1b[2K${progressLine(at(2000, 200))}`, '\n']);
  });
});
