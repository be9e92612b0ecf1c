import { log } from './settings';

/**
 * The worker's jobs as its log reports them, one line each ("message <id>: processed"), and waits
 * on them. Fed by the worker's line listener (`read`) and told when it ends (`workerEnded`).
 */
export class WorkerOutcomes {
  processed = 0;
  otherOutcomes = 0;
  jobErrors = 0;
  /** When the last job ended (performance.now()), 0 before any. */
  lastDone = 0;
  private readonly listeners = new Set<() => void>();
  /** How the worker ended ("code 1", "SIGKILL"), once it has. */
  private workerExit?: string;

  constructor(private readonly logFile: string) {}

  /** Jobs that ended, whatever their outcome. */
  get finished(): number {
    return this.processed + this.otherOutcomes;
  }

  /** Called after every line the worker writes. */
  onProgress(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Resolves once `done()` holds; rejects after `timeoutMs`, or if the worker exits first. */
  until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) resolve();
        else if (this.workerExit)
          reject(new Error(`the worker exited (${this.workerExit}) while waiting for ${what}; see ${this.logFile}`));
        else return;
        finish();
      };
      const timer = setTimeout(() => (finish(), reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`))), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The worker has ended: whoever waits is told. */
  workerEnded(how: string): void {
    this.workerExit = how;
    this.listeners.forEach((listener) => listener());
  }

  /** One line of the worker's output. */
  read(line: string): void {
    const text = messageOf(line);
    const outcome = /message \S+: ([a-z-]+)\s*$/.exec(text);
    if (outcome) {
      if (outcome[1] === 'processed') this.processed++;
      else this.otherOutcomes++;
      this.lastDone = performance.now();
    } else if (/message \S+(?: \(receive \d+\) failed|: will be retried)/.test(text)) {
      this.jobErrors++;
      log(`worker: ${text.replace(/^.*?(message )/, '$1')}`);
    }
    this.listeners.forEach((listener) => listener());
  }
}

/** The worker logs pino JSON lines (LOG_FORMAT's default): what it says is their `msg`; any other line is taken as it is. */
function messageOf(line: string): string {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry === 'object' && entry !== null && 'msg' in entry && typeof entry.msg === 'string') return entry.msg;
  } catch {
    // not JSON: a plain line
  }
  return line;
}
