import { Teardown } from '@imagery/kernel/process/teardown';

/**
 * The kernel's Teardown, run whether the bench ends normally, fails, or is interrupted: no emulator
 * or worker process outlives it. On SIGINT/SIGTERM it says what is being stopped (`stopping`), calls
 * `onSignal`, stops everything, then exits 128 + signal number; a second signal exits at once.
 */
export function benchTeardown(stopping: string, onSignal: () => void = () => undefined): Teardown {
  const teardown = new Teardown((line) => console.error(`[bench] ${line}`));
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n[bench] ${signal}: stopping ${stopping}...`);
      onSignal();
      process.once(signal, () => process.exit(code));
      void teardown.stopAll().finally(() => process.exit(code));
    });
  }
  return teardown;
}
