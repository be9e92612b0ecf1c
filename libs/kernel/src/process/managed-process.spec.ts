import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, ManagedProcessOptions, describeExit } from './managed-process';

const node = (script: string, more: Partial<ManagedProcessOptions> = {}): ManagedProcess =>
  new ManagedProcess({ name: 'test', command: process.execPath, args: ['-e', script], onLine: () => undefined, ...more });

describe('ManagedProcess', () => {
  it('writes its output to the log file and its lines to listeners; `ended` comes after the last of them', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'managed-')), 'nested', 'out.log');
    const lines: string[] = [];
    const child = node("console.log('to stdout'); console.error('to stderr'); process.exit(3)", { logFile, onLine: (l) => lines.push(l) });
    const later: string[] = [];
    child.addLineListener((l) => later.push(l));
    expect(await child.ended).toEqual({ code: 3, signal: null });
    expect(lines.sort()).toEqual(['to stderr', 'to stdout']);
    expect(later.sort()).toEqual(['to stderr', 'to stdout']);
    expect(readFileSync(logFile, 'utf8').split('\n').sort()).toEqual(['', 'to stderr', 'to stdout']);
    expect(child.running).toBe(false);
  });

  it('stop sends SIGTERM, and SIGKILL once the grace period is over', async () => {
    const polite = node('setInterval(() => {}, 1000)');
    expect(await polite.stop(5_000)).toEqual({ code: null, signal: 'SIGTERM' });

    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const stubborn = node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')", {
      onLine: () => started(),
    });
    await ready;
    const t0 = Date.now();
    expect(await stubborn.stop(200)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(await stubborn.stop()).toEqual({ code: null, signal: 'SIGKILL' }); // stopping again: how it ended
  });
});

describe('describeExit', () => {
  it('names the signal, else the code, and the spawn error first', () => {
    expect(describeExit({ code: null, signal: 'SIGTERM' })).toBe('SIGTERM');
    expect(describeExit({ code: 0, signal: null })).toBe('code 0');
    expect(describeExit({ code: -1, signal: null, error: 'spawn nope ENOENT' })).toBe('spawn nope ENOENT');
  });
});
