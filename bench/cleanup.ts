type Task = () => unknown;

/**
 * Teardown steps run last-in first-out, once, whether the bench ends normally, fails, or is
 * interrupted (SIGINT/SIGTERM): no emulator or worker process outlives it.
 */
export class Cleanup {
  private readonly tasks: { name: string; task: Task }[] = [];
  private running?: Promise<void>;

  add(name: string, task: Task): void {
    this.tasks.push({ name, task });
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (let entry = this.tasks.pop(); entry; entry = this.tasks.pop()) {
        try {
          await entry.task();
        } catch (error) {
          console.error(`[bench] cleanup ${entry.name} failed: ${(error as Error).message}`);
        }
      }
    })());
  }

  /**
   * On SIGINT/SIGTERM: say what is being stopped (`stopping`), call `onSignal`, clean up, then exit
   * 128 + signal number; a second signal exits at once.
   */
  exitOnSignals(stopping: string, onSignal: () => void = () => undefined): void {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => {
        console.error(`\n[bench] ${signal}: stopping ${stopping}...`);
        onSignal();
        process.once(signal, () => process.exit(code));
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
