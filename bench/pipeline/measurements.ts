import type { ApiLoadResult } from './api-load-phase';
import type { ApiOverheadResult } from './api-overhead';
import type { ApiSaturation } from './api-saturation';
import type { Ceiling } from './ceiling';
import type { FixtureFile } from './emulator-rate';
import type { IdleWindow } from './idle-window';
import type { PipelinePhaseResult } from './pipeline-phase';
import type { PipelineSettings } from './settings';

/** What the phases returned, gathered for the report. */
export interface Measurements {
  readonly started: number;
  readonly settings: PipelineSettings;
  readonly fixtures: readonly FixtureFile[];
  readonly ceiling: Ceiling;
  readonly roundTrips: ApiOverheadResult;
  /** The platform's first images, left out of every figure (warm-up-phase.ts). */
  readonly warmUp: PipelinePhaseResult;
  readonly latency: PipelinePhaseResult;
  readonly idle: IdleWindow;
  readonly apiLoads: ApiLoadResult[];
  readonly apiSaturation: ApiSaturation;
  readonly throughput: PipelinePhaseResult[];
}
