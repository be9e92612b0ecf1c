import { ApiLoadResult, runApiLoad } from './api-load-phase';
import { haproxyWatcher, PhaseContext } from './phase-context';
import { apiLine } from './progress-lines';
import { API_WARMUP_SECONDS } from './settings';
import { fleetWhole } from './settle';

/**
 * The API's p99 under steady load through HAProxy: without faults, then with each FIS experiment of
 * BENCH_FAULTS, then without faults again (on a shared machine one 25 s window can be another
 * tenant's busiest). After each, the fleet is whole again before the next.
 */
export async function measureApiLoads(context: PhaseContext, imageId: string): Promise<ApiLoadResult[]> {
  const { settings, log } = context;
  const { faults, apiRate, apiSeconds } = settings;
  const maxFaultSeconds = Math.max(5, apiSeconds - 6);
  const apiLoads: ApiLoadResult[] = [];
  for (const [i, fault] of [undefined, ...faults, ...(faults.length ? [undefined] : [])].entries()) {
    const name = `api-${fault ?? (i === 0 ? 'no-fault' : 'no-fault-again')}`;
    log(
      `${name}: API load at ${apiRate} req/s through HAProxy, ${API_WARMUP_SECONDS} s warm-up + ${apiSeconds} s measured` +
        `${fault ? `; FIS ${fault} 3 s into the measured part (fault durations capped at ${maxFaultSeconds} s)` : ''}`,
    );
    const result = await runApiLoad({
      name,
      session: context.session,
      imageId,
      rate: apiRate,
      seconds: apiSeconds,
      warmupSeconds: API_WARMUP_SECONDS,
      fault,
      faultAfterSeconds: 3,
      maxFaultSeconds,
      seed: settings.seed,
      runDir: context.runDir,
      watchHaproxy: haproxyWatcher(context),
      log,
    });
    apiLoads.push(result);
    log(apiLine(result));
    await fleetWhole(context.session, settings, 60_000, log);
  }
  return apiLoads;
}
