import { SHRINK_USAGE, parseShrinkArgs } from './shrink-args';
import { shrinkOutputsIn } from './shrink-files';
import { ShrinkTarget, shrinkRun } from './shrink-run';

/**
 * `npm run chaos -- shrink <report.json> [--budget 15m]` (its arguments after `shrink`): the exit
 * code of shrinkRun, or 2 when it could not run. `openTarget` is the platform wiring: it reads the
 * report's schedule and workload and returns a target that runs candidates.
 */
export async function shrinkCommand<F, J>(
  args: readonly string[],
  openTarget: (reportPath: string) => Promise<ShrinkTarget<F, J>>,
): Promise<number> {
  if (args.includes('--help')) {
    console.log(SHRINK_USAGE);
    return 0;
  }
  let request;
  try {
    request = parseShrinkArgs(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n${SHRINK_USAGE}`);
    return 2;
  }
  try {
    const outcome = await shrinkRun(request, {
      openTarget,
      openOutputs: shrinkOutputsIn,
      now: () => Date.now(),
      log: (l) => console.log(l),
    });
    return outcome.exitCode;
  } catch (err) {
    console.error(`shrink failed: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}
