import type { ApiLoadResult } from './api-load-phase';
import type { Ceiling } from './ceiling';
import type { FixtureFile } from './emulator-rate';
import type { PipelinePhaseResult } from './pipeline-phase';
import type { RoundTripResult } from './round-trip';
import type { PipelineSettings } from './settings';

/** What the phases returned, gathered for the report. */
export interface Measurements {
  readonly started: number;
  readonly settings: PipelineSettings;
  readonly fixtures: readonly FixtureFile[];
  readonly ceiling: Ceiling;
  readonly roundTrips: RoundTripResult;
  readonly latency: PipelinePhaseResult;
  readonly apiLoads: ApiLoadResult[];
  readonly throughput: PipelinePhaseResult[];
}
