import type { ChildProcess, StdioOptions } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Where a managed process's stdout and stderr go: line by line to listeners, and as they come to
 * a log file. With a log file and no listener, the file itself is the child's stdout and stderr:
 * the child writes it, and nothing passes through this process (moto logs every request). Else the
 * output is piped here and the file written synchronously, so whoever reads it (a readiness check
 * looking for the server's start line) sees everything received so far.
 */
export class ProcessOutput {
  private readonly listeners: ((line: string) => void)[] = [];
  private logFd: number | undefined;
  /** The child writes the log file itself: no lines reach this process. */
  private readonly direct: boolean;

  constructor(
    private readonly logFile: string | undefined,
    listener: ((line: string) => void) | undefined,
  ) {
    if (listener) this.listeners.push(listener);
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      this.logFd = openSync(logFile, 'w');
    }
    this.direct = this.logFd !== undefined && !listener;
  }

  /** The child's stdio: the log file when it writes it directly, else pipes that `read` drains. */
  get stdio(): StdioOptions {
    return this.direct ? ['ignore', this.logFd, this.logFd] : ['ignore', 'pipe', 'pipe'];
  }

  /** Whether the output comes through pipes (which `ended` then waits to read to the end). */
  get piped(): boolean {
    return !this.direct;
  }

  /** Reads the child's pipes, if it has any (none when it writes the log file itself). */
  read(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      // Only a log file needs the raw chunks: an instance's every line would otherwise pass twice.
      if (this.logFd !== undefined) stream.on('data', (chunk: Buffer) => this.write(chunk));
      createInterface({ input: stream }).on('line', (line) => this.listeners.forEach((l) => l(line)));
    }
  }

  addListener(listener: (line: string) => void): void {
    if (this.direct) throw new Error(`the output goes straight to ${this.logFile}: pass onLine at the start to receive lines`);
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
