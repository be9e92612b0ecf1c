import type { ApiLoadResult } from './api-load-phase';
import type { PipelinePhaseResult } from './pipeline-phase';

/** One line on a pipeline phase once it has run. */
export function phaseLine(p: PipelinePhaseResult): string {
  return (
    `${p.name}: offered ${p.offeredRate}/s → uploads ${p.uploadsPerSecond}/s, processed ${p.processedPerSecond}/s ` +
    `in the ${p.window.seconds} s window; upload→processed p50 ${Math.round(p.latencyMs.exact.p50)} ms, ` +
    `p99 ${Math.round(p.latencyMs.exact.p99)} ms; ${p.processed}/${p.uploaded} processed; workload ${p.workload.outcome}`
  );
}

/** One line on an API load once it has run. */
export function apiLine(a: ApiLoadResult): string {
  return (
    `${a.name}: ${a.requests} requests (${a.achievedRate}/s), p50 ${a.ms.all.p50} ms, p99 ${a.ms.all.p99} ms` +
    `${a.ms.duringFault ? `, p99 during the fault ${a.ms.duringFault.p99} ms` : ''}, ${a.failed} failed, ${a.droppedIterations} dropped`
  );
}
