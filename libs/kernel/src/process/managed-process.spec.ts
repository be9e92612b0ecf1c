import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, ManagedProcessOptions, describeExit } from './managed-process';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

const node = (script: string, more: Partial<ManagedProcessOptions> = {}): ManagedProcess =>
  new ManagedProcess({ name: 'test', command: process.execPath, args: ['-e', script], onLine: () => undefined, ...more });

describe('ManagedProcess', () => {
  it('writes its output to the log file and its lines to listeners; `ended` comes after the last of them', async () => {
    const logFile = join(tempDir('managed-'), 'nested', 'out.log');
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

  it('with a log file and no line listener, hands the file to the child as its stdout and stderr', async () => {
    const logFile = join(tempDir('managed-'), 'direct.log');
    // fstat of fd 1 and 2: a regular file when the child writes the log itself, a pipe when we read it
    const script =
      "const { fstatSync } = require('fs'); console.log('stdout file', fstatSync(1).isFile()); " +
      "console.error('stderr file', fstatSync(2).isFile()); process.exit(4)";
    const child = node(script, { logFile, onLine: undefined });
    expect(() => child.addLineListener(() => undefined)).toThrow(/pass onLine/);
    expect(await child.ended).toEqual({ code: 4, signal: null });
    expect(readFileSync(logFile, 'utf8').split('\n').sort()).toEqual(['', 'stderr file true', 'stdout file true']);
  });

  it('with a log file and a line listener, pipes the output: lines and the file both', async () => {
    const logFile = join(tempDir('managed-'), 'piped.log');
    const lines: string[] = [];
    const child = node("console.log('stdout file', require('fs').fstatSync(1).isFile())", { logFile, onLine: (l) => lines.push(l) });
    await child.ended;
    expect(lines).toEqual(['stdout file false']);
    expect(readFileSync(logFile, 'utf8')).toBe('stdout file false\n');
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
