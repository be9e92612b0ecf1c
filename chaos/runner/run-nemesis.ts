import { FaultLogTail, readFaultLogs } from '../nemesis/fault-logs';
import type { NemesisEntry } from '@imagery/history/history-entry';
import { mergeByTime } from '@imagery/history/merge-by-time';
import { FisExperimentView, FleetEventView, NemesisRecorder } from '../nemesis/nemesis-recorder';

/** What the runner knows of the platform's nemesis side (a PlatformSession has these). */
export interface NemesisSources {
  fleetEvents(from: number, to: number): readonly FleetEventView[];
  /** The instances' fault logs; absent in AWS, where no instance injects API faults. */
  readonly faultLogDir?: string;
}

export interface RunNemesisResult {
  /** Every nemesis entry of the run, in time order: fleet, FIS experiment and actions, toxics, proxies, API faults. */
  readonly entries: NemesisEntry[];
  /** Instances that ended during the run (terminated, stopped, died), for the log line. */
  readonly instancesEnded: number;
  readonly faultsInjected: number;
}

/**
 * The nemesis half of one run's history: call `observe` with each GetExperiment answer while the
 * run goes on (and `faultsInjected` for the live count), then `finish` once it is over. The
 * fleet's events and the instances' fault logs are read for the run's window at the end, so
 * nothing that happened between two polls is missed.
 */
export class RunNemesis {
  private readonly recorder = new NemesisRecorder();
  private readonly tail?: FaultLogTail;

  constructor(
    private readonly sources: NemesisSources,
    private readonly startedAt: number,
  ) {
    this.tail = sources.faultLogDir ? new FaultLogTail(sources.faultLogDir, { from: startedAt }) : undefined;
  }

  observe(experiment: FisExperimentView | undefined): void {
    this.recorder.observeExperiment(experiment);
  }

  /** API faults injected since the run started (reads what the instances appended since the last call). */
  faultsInjected(): number {
    if (!this.tail) return 0;
    try {
      this.tail.poll();
    } catch {
      // a log being created right now; counted on the next call
    }
    return this.tail.count;
  }

  finish(finishedAt: number): RunNemesisResult {
    for (const event of this.sources.fleetEvents(this.startedAt, finishedAt)) this.recorder.fleetEvent(event);
    const faults = this.sources.faultLogDir ? readFaultLogs(this.sources.faultLogDir, { from: this.startedAt, to: finishedAt }) : [];
    const entries = mergeByTime<NemesisEntry>(this.recorder.entries(), faults);
    const ended = entries.filter((e) => e.event.kind === 'instance' && ['terminated', 'stopped', 'died'].includes(e.event.phase)).length;
    return { entries, instancesEnded: ended, faultsInjected: faults.length };
  }
}
