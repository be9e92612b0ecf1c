import {
  FaultInjector,
  coverageLogPathOf,
  openCoverageLog,
  openFaultLog,
  PlatformAdapters,
  RequestHandlerWrapper,
  composeWrappers,
  createPlatformAdapters,
} from '@imagery/aws-adapters';
import { recordReachesTo } from '@imagery/domain';
import { Inject, Injectable, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { chaosConfigFrom } from './chaos/chaos-config';
import { FaultsController } from './chaos/faults.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { metricsRequestHandler } from './metrics/metrics-request-handler';
import { PlatformMetrics } from './metrics/platform-metrics';
import { PlatformEnv } from './platform-env';
import { ShutdownState } from './shutdown-state';
import { SpotInterruptionWatcher } from './spot-interruption-watcher';
import { PLATFORM_ADAPTERS } from './platform-adapters.token';
import { LogOptions } from './logging/platform-logger';

export interface PlatformOptions extends LogOptions {
  /** An extra request-handler wrapper, innermost (tests use it to break or observe calls). */
  readonly wrapRequestHandler?: RequestHandlerWrapper;
}

/** Closes the SDK clients' sockets after everything else has stopped. */
@Injectable()
class AdaptersLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PLATFORM_ADAPTERS) private readonly adapters: PlatformAdapters) {}
  onApplicationShutdown(): void {
    this.adapters.clients.destroy();
  }
}

/**
 * Metrics, the fault injector (chaos mode only) and the adapters, wired so that every SDK attempt
 * goes metrics → faults → network: injected errors show in the AWS call metrics like real ones.
 */
export function platformProviders(env: PlatformEnv, role: 'api' | 'worker', options: PlatformOptions = {}): Provider[] {
  const chaos = chaosConfigFrom(env);
  const instance = env.INSTANCE_ID ?? `${role}-${process.pid}`;
  const metrics = new PlatformMetrics({ role, instance });
  // Every injected fault goes into the run's history (through this log), not only into a counter.
  const logPath = chaos.enabled ? chaos.faultLog : undefined;
  const faultLog = logPath ? openFaultLog(logPath, { instance, generation: chaos.generation }) : undefined;
  // Every recovery path it takes goes into the run's coverage (the report's table), beside its fault log.
  const coverageLog = logPath ? openCoverageLog(coverageLogPathOf(logPath), { instance, generation: chaos.generation }) : undefined;
  if (coverageLog) recordReachesTo((reach) => coverageLog.record(reach));
  const injector = chaos.enabled
    ? new FaultInjector({
        seed: chaos.seed,
        instance,
        onFault: (e) => {
          faultLog?.record(e);
          metrics.faultsInjected.inc({ kind: e.kind, service: e.service, operation: e.operation, source: e.source ?? '' });
        },
      })
    : undefined;
  injector?.setRules(chaos.rules);
  const wrap = composeWrappers(metricsRequestHandler(metrics), injector?.wrap, options.wrapRequestHandler);
  return [
    { provide: PlatformMetrics, useValue: metrics },
    ...(injector ? [{ provide: FaultInjector, useValue: injector }] : []),
    // In chaos mode a call's retries depend on its own faults only, so recorded schedules replay exactly.
    {
      provide: PLATFORM_ADAPTERS,
      useFactory: () => createPlatformAdapters(env, { wrapRequestHandler: wrap, perCallRetries: chaos.enabled }),
    },
    AdaptersLifecycle,
    { provide: ShutdownState, useFactory: () => new ShutdownState(env.DRAIN_DELAY_MS) },
    { provide: SpotInterruptionWatcher, useFactory: () => new SpotInterruptionWatcher(process.env.INSTANCE_METADATA_URL) },
  ];
}

/** Health and metrics always; fault control only in chaos mode. */
export function platformControllers(env: PlatformEnv): Type[] {
  return [HealthController, MetricsController, ...(env.CHAOS_MODE ? [FaultsController] : [])];
}
