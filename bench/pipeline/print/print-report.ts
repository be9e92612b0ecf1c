import type { Report } from '../report';
import { apiLoadSection, roundTripSection } from './api-sections';
import { ceilingSection, headerSection } from './ceiling-section';
import { cpuSection } from './cpu-section';
import { pipelineSection } from './pipeline-section';
import { ratiosSection } from './ratios-section';

/** The report as text, section by section, in one write. */
export function printReport(r: Report): void {
  const sections = [headerSection, ceilingSection, pipelineSection, roundTripSection, apiLoadSection, cpuSection, ratiosSection];
  console.log(sections.flatMap((section) => section(r)).join('\n'));
}
