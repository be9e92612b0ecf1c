/** How a row's value is judged against its target; `reported` rows have none. */
export type Comparator = '>=' | '<=' | '<' | 'reported';

export type RowId =
  | 'pipelineRate'
  | 'pipelineOfCeiling'
  | 'emulatorOverPlainMoto'
  | 'platformCpuPerImage'
  | 'platformOverSharp'
  | 'workerOverSepia'
  | 'awsCallsPerImage'
  | 'apiCpuPerRequest'
  | 'apiP99'
  | 'apiSaturation'
  | 'apiGetOverAdapter';

export interface Target {
  readonly row: RowId;
  /** The measure as issue 16's table names it. */
  readonly measure: string;
  readonly unit: string;
  readonly comparator: Comparator;
  readonly target?: number;
}

/** Issue 16's bench rows and their targets, in the table's order: the one place a target is written. */
export const TARGETS: readonly Target[] = [
  {
    row: 'pipelineRate',
    measure: 'pipeline: highest steady rate kept up with (no faults)',
    unit: 'images/s',
    comparator: '>=',
    target: 20,
  },
  {
    row: 'pipelineOfCeiling',
    measure: '… ÷ the lower of the emulator ceiling and the CPU budget',
    unit: '',
    comparator: '>=',
    target: 0.8,
  },
  { row: 'emulatorOverPlainMoto', measure: 'emulator ceiling ÷ one plain moto process, same run', unit: '×', comparator: '>=', target: 2 },
  { row: 'platformCpuPerImage', measure: 'whole platform CPU per image', unit: 'core-ms', comparator: '<=', target: 75 },
  { row: 'platformOverSharp', measure: "… ÷ sharp's inspect + sepia of the same images", unit: '×', comparator: '<=', target: 3.7 },
  { row: 'workerOverSepia', measure: "worker CPU per image ÷ sharp's sepia alone", unit: '×', comparator: '<=', target: 1.5 },
  { row: 'awsCallsPerImage', measure: "AWS calls per processed image under load (fleet's metrics)", unit: '', comparator: '<=', target: 9 },
  { row: 'apiCpuPerRequest', measure: 'API CPU per request', unit: 'core-ms', comparator: '<=', target: 1.2 },
  { row: 'apiP99', measure: 'API p99 at 200 req/s through HAProxy, no faults', unit: 'ms', comparator: '<', target: 50 },
  { row: 'apiSaturation', measure: 'API saturation rate (highest with p99 < 100 ms)', unit: 'req/s', comparator: '>=', target: 300 },
  { row: 'apiGetOverAdapter', measure: 'API GET round trip ÷ the adapter call it wraps (p50)', unit: '×', comparator: 'reported' },
];
