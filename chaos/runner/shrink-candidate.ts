import type { RecordedJourney } from '../../load/recorded-journey';
import { type FaultSchedule, type ScheduledFault, faultKey } from '../nemesis/schedule/fault-schedule';
import type { ReplayRecord } from '../report/replay-record';
import type { ShrinkSubject } from '../shrink/shrink-subject';
import type { ExperimentRunOptions } from './experiment/run-options';
import { recordedRunOptions } from './replay';

export type RunSubject = ShrinkSubject<ScheduledFault, RecordedJourney>;
type CandidateOptions = Omit<ExperimentRunOptions, 'reportsDir' | 'log' | 'status'>;

/** The failing run a report records, as the shrinker reduces it: its executed faults, its journeys, its warm-up and tail. */
export function subjectOf(record: ReplayRecord): RunSubject {
  if (!record.workload) throw new Error('the report holds no recorded workload: a shrink needs the journeys it ran');
  return {
    faults: record.schedule.faults,
    journeys: record.workload.journeys,
    warmupSeconds: record.options.warmupSeconds,
    tailSeconds: record.options.tailSeconds,
  };
}

/**
 * The run options that execute a candidate exactly: the recorded run with only the candidate's
 * faults and journeys. A shorter warm-up moves everything earlier by the difference (faults and
 * journeys keep their distance from each other); a shorter tail ends the load sooner, and the
 * journeys that would start after it are not run.
 */
export function candidateRunOptions(record: ReplayRecord, subject: RunSubject): CandidateOptions {
  const workload = record.workload;
  if (!workload) throw new Error('the report holds no recorded workload: a shrink needs the journeys it ran');
  const shiftMs = Math.max(0, (record.options.warmupSeconds - subject.warmupSeconds) * 1000);
  const earlier = (ms: number) => Math.max(0, ms - shiftMs);
  const { startsAt, endsAt } = record.schedule;
  const loadMs = subject.warmupSeconds * 1000 + (endsAt - startsAt) + subject.tailSeconds * 1000;
  const schedule: FaultSchedule = {
    startsAt: earlier(startsAt),
    endsAt: earlier(endsAt),
    faults: subject.faults.map((f) => movedEarlier(f, earlier)),
  };
  const journeys = subject.journeys.map((j) => ({ ...j, at: earlier(j.at) })).filter((j) => j.at < loadMs);
  return {
    ...recordedRunOptions(record),
    warmupSeconds: subject.warmupSeconds,
    tailSeconds: subject.tailSeconds,
    schedule,
    recordedWorkload: { ...workload, durationMs: Math.min(workload.durationMs, loadMs), journeys },
  };
}

function movedEarlier(fault: ScheduledFault, earlier: (ms: number) => number): ScheduledFault {
  if ('until' in fault && fault.until !== undefined) return { ...fault, at: earlier(fault.at), until: earlier(fault.until) };
  return { ...fault, at: earlier(fault.at) };
}

/**
 * One request's faults on one operation (its attempts: the SDK retries a failed call, so a message
 * is lost only when every attempt fails) act together; any other fault stands alone.
 */
export function attemptChain(f: ScheduledFault): string {
  return f.type === 'api' && f.match.requestId !== undefined
    ? `${f.role} ${f.service}:${f.operation} ${f.match.requestId}`
    : `${faultKey(f)} at ${f.at}`;
}

/**
 * Whether a fault can fire in a run of these journeys: an API fault that names its image needs that
 * image's journey (its calls happen nowhere else); any other fault (kills, toxics, sweeps' and polls'
 * calls) may meet any run.
 */
export function canFireIn(fault: ScheduledFault, journeys: readonly RecordedJourney[]): boolean {
  const imageId = fault.type === 'api' ? fault.match.imageId : undefined;
  return imageId === undefined || journeys.some((j) => j.id === imageId);
}
