import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { startLocalSession } from './local-session';
import { replayReport } from './replay';
import { runExperiment } from './run-experiment';

/** `npm run chaos -- replay <report.json>`: 0 when it matched (faults, verdict, violations), 1 when not, 2 when it could not run. */
export async function replayCommand(args: readonly string[]): Promise<number> {
  if (args.length !== 1) {
    console.error('usage: npm run chaos -- replay <report.json>');
    return 2;
  }
  const tty = process.stdout.isTTY;
  try {
    const outcome = await replayReport(args[0], {
      startPlatform: async (build, seed) => {
        console.log(`starting a fresh ${build}-build platform (seed ${seed})...`);
        return startLocalSession({ build, seed, quiet: true, log: (l) => console.log(`  ${l}`) });
      },
      runExperiment: (session, options) => {
        Object.assign(process.env, session.directEnv); // the checker reads the resources directly
        return runExperiment(session, options);
      },
      reportsDir: join(repoRoot(), 'chaos', 'reports'),
      log: (l) => console.log(l),
      status: (l) => tty && process.stdout.write(`\r\x1b[2K${l}`),
    });
    const { record, result } = outcome;
    console.log(`replay of ${record.experiment}: ${result.report.verdict.outcome} — report ${join(result.reportDir, 'report.html')}`);
    return outcome.comparison.matched ? 0 : 1;
  } catch (err) {
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}
