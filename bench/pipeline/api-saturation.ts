import { ApiLoadResult, runApiLoad } from './api-load-phase';
import type { PhaseContext } from './phase-context';
import { apiLine } from './progress-lines';

/** The p99 a rate must stay under to count as served (issue 16: the highest rate with p99 < 100 ms). */
export const SATURATION_P99_MS = 100;
const WARMUP_SECONDS = 2;

export interface SaturationStep {
  readonly rate: number;
  /** Under the p99 limit, nothing failed, the load was offered (≤ 1 % dropped) and served (≥ 95 % of the rate). */
  readonly served: boolean;
  readonly load: ApiLoadResult;
}

export interface ApiSaturation {
  readonly p99LimitMs: number;
  readonly steps: readonly SaturationStep[];
  /** The highest rate served, undefined when even the first step was not. */
  readonly highestRate?: number;
}

/** Whether one API load counts as served at its rate. */
export function servedUnder(
  load: Pick<ApiLoadResult, 'rate' | 'seconds' | 'achievedRate' | 'failed' | 'droppedIterations' | 'ms'>,
): boolean {
  return (
    load.ms.all.p99 < SATURATION_P99_MS &&
    load.failed === 0 &&
    load.droppedIterations <= 0.01 * load.rate * load.seconds &&
    load.achievedRate >= 0.95 * load.rate
  );
}

/**
 * A short ladder of API loads through HAProxy (the same 80 % reads / 20 % creates, no faults), each a
 * few seconds, up to the first rate not served: the API's saturation rate.
 */
export async function measureApiSaturation(context: PhaseContext, imageId: string): Promise<ApiSaturation> {
  const { settings, log } = context;
  const steps: SaturationStep[] = [];
  for (const rate of settings.apiRates) {
    log(`api-saturation: ${rate} req/s through HAProxy, ${WARMUP_SECONDS} s warm-up + ${settings.apiStepSeconds} s measured`);
    const load = await runApiLoad({
      name: `api-saturation-${rate}`,
      session: context.session,
      imageId,
      rate,
      seconds: settings.apiStepSeconds,
      warmupSeconds: WARMUP_SECONDS,
      seed: settings.seed,
      runDir: context.runDir,
      log,
    });
    log(apiLine(load));
    const served = servedUnder(load);
    steps.push({ rate, served, load });
    if (!served) break;
  }
  const highest = steps.filter((s) => s.served).reduce<number | undefined>((max, s) => Math.max(max ?? 0, s.rate), undefined);
  log(`API saturation: ${highest === undefined ? `below ${settings.apiRates[0]}` : highest} req/s with p99 < ${SATURATION_P99_MS} ms`);
  return { p99LimitMs: SATURATION_P99_MS, steps, ...(highest !== undefined ? { highestRate: highest } : {}) };
}
