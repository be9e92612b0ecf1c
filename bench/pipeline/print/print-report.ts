import type { Report } from '../report';
import { apiLoadSection, roundTripSection } from './api-sections';
import { ceilingSection, headerSection } from './ceiling-section';
import { cpuSection } from './cpu-section';
import { pipelineSection } from './pipeline-section';
import { targetsSection } from './targets-section';

/** The report as text, section by section, in one write; issue 16's rows last, where the eye lands. */
export function printReport(r: Report): void {
  const sections = [headerSection, ceilingSection, pipelineSection, roundTripSection, apiLoadSection, cpuSection];
  console.log([...sections.flatMap((section) => section(r)), ...targetsSection(r.rows, r.stalledPhases)].join('\n'));
}
