import { cpuBudgetOf } from '../cpu-budget';
import { describe } from '../idle-window';
import type { PipelinePhaseResult } from '../pipeline-phase';
import type { Report } from '../report';
import { awsCallLines } from './aws-calls-lines';
import { haproxyCell, ms, table } from './format';

const HEADER = [
  'phase',
  'offered/s',
  'uploads/s',
  'processed/s',
  'x ceiling',
  'upload→processed p50 / p99 ms',
  'polled p50 / p99 ms',
  'GETs/img',
  'workload',
  'HAProxy servers',
];

/** The latency phase and the ladder's steps: rates, upload→processed latency, and the AWS calls the fleet made. */
export function pipelineSection(r: Report): string[] {
  const l = r.pipeline.latency;
  const steps = r.pipeline.throughput;
  const phases = [l, ...steps];
  const rows = phases.map((p) => phaseRow(p, r.ceiling.lowerOfEmulatorAndCpu));
  const ladderWarmup = (steps[0]?.seconds ?? 0) - (steps[0]?.window.seconds ?? 0);
  return [
    'Pipeline: load/imagery.ts through HAProxy, steady arrivals, no faults, no bad input',
    ...table(HEADER, rows),
    "  upload→processed: the worker's processed transition (its DynamoDB updatedAt) minus the upload's acknowledgement at the client;",
    '  "polled" is the first GET that saw it (polls 100 ms apart growing x1.5 to 1 s: coarser and later).',
    `  rates over each phase's window after its warm-up (latency ${l.window.seconds} s after ${l.seconds - l.window.seconds} s, ` +
      `ladder steps ${steps[0]?.window.seconds} s after ${ladderWarmup} s);` +
      ` processed/uploaded by the end: ${phases.map((t) => `${t.name} ${t.processed}/${t.uploaded}`).join(', ')}.`,
    '  x ceiling: processed/s ÷ the lower of the emulator ceiling and the CPU budget.',
    warmUpLine(r.pipeline.warmUp),
    '  kept up: arrivals sent, uploads >= 95 % of offered, completions >= 95 % of uploads, <= ~2 s of work left: capacity >= offered.',
    '  HAProxy servers: seconds with fewer than all API servers UP / with none UP (503s), from its stats every 500 ms.',
    ...phases.flatMap((p) => awsCallLines(p, p === l, r)),
    '',
  ];
}

function phaseRow(p: PipelinePhaseResult, ceiling: number): string[] {
  return [
    p.name,
    String(p.offeredRate),
    p.uploadsPerSecond.toFixed(1),
    p.processedPerSecond.toFixed(1),
    (p.processedPerSecond / ceiling).toFixed(2),
    `${ms(p.latencyMs.exact.p50)} / ${ms(p.latencyMs.exact.p99)}`,
    `${ms(p.latencyMs.polled.p50)} / ${ms(p.latencyMs.polled.p99)}`,
    p.getsPerImage.toFixed(1),
    workloadCell(p),
    haproxyCell(p.haproxy),
  ];
}

function workloadCell(p: PipelinePhaseResult): string {
  const w = p.workload;
  const errors = w.serverErrors + w.networkErrors;
  return (
    `${p.keptUp ? 'kept up, ' : ''}${w.outcome}${w.droppedIterations ? `, ${w.droppedIterations} dropped` : ''}` +
    `${errors ? `, ${errors} errors (retried)` : ''}`
  );
}

/** The warm-up before every phase above: what the same kind of images cost the platform while its processes were fresh. */
function warmUpLine(w: PipelinePhaseResult): string {
  const cold = cpuBudgetOf(w);
  return (
    `  before them, a warm-up left out of every figure: ${w.processed} images at ${w.offeredRate}/s for ${w.seconds} s, ` +
    `${cold.totalCoreMsPerImage} core-ms per image cold (${describe(cold.coreMsPerImage)}).`
  );
}
