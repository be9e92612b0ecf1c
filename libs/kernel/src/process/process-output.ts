import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Where a managed process's stdout and stderr go: line by line to listeners, and as they come to
 * a log file. The file is written synchronously, so whoever reads it (a readiness check looking
 * for the server's start line) sees everything received so far.
 */
export class ProcessOutput {
  private readonly listeners: ((line: string) => void)[] = [];
  private logFd: number | undefined;

  constructor(child: ChildProcess, logFile: string | undefined, listener: ((line: string) => void) | undefined) {
    if (listener) this.listeners.push(listener);
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      this.logFd = openSync(logFile, 'w');
    }
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      stream.on('data', (chunk: Buffer) => this.write(chunk));
      createInterface({ input: stream }).on('line', (line) => this.listeners.forEach((l) => l(line)));
    }
  }

  addListener(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  /** A line of ours (not the process's), e.g. why it could not start. */
  note(line: string): void {
    this.write(Buffer.from(`${line}\n`));
    this.listeners.forEach((l) => l(line));
  }

  close(): void {
    if (this.logFd === undefined) return;
    closeSync(this.logFd);
    this.logFd = undefined;
  }

  private write(chunk: Buffer): void {
    if (this.logFd !== undefined) writeSync(this.logFd, chunk);
  }
}
