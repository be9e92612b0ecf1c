import { loadExperimentTemplate } from '../experiments/load-experiment-template';
import type { ExperimentTemplateInput } from '../fis';
import { DEFAULT_TAIL_SECONDS, capDurations, experimentSeconds, tailSecondsOf } from './template-timing';

const outage = (window?: string): ExperimentTemplateInput => ({
  ...loadExperimentTemplate('sqs-outage'),
  experimentReportConfiguration: window === undefined ? undefined : { postExperimentDuration: window },
});

/**
 * A run's tail is the recovery its template plans: FIS's post-experiment report window when the
 * template has one, capped like its faults in a short run, else the default look at the recovery.
 */
describe('tailSecondsOf: how long the load stays on after the faults', () => {
  it("is the template's post-experiment window", () => {
    expect(tailSecondsOf(outage('PT40S'))).toBe(40);
    expect(tailSecondsOf(outage('PT1M'))).toBe(60);
  });

  it('is the default without a window', () => {
    expect(tailSecondsOf(outage())).toBe(DEFAULT_TAIL_SECONDS);
    expect(tailSecondsOf(loadExperimentTemplate('kill-worker'))).toBe(DEFAULT_TAIL_SECONDS);
  });

  it('is capped as the faults are in a short run, and capDurations caps the window the simulator waits out', () => {
    expect(tailSecondsOf(outage('PT40S'), 15)).toBe(15);
    expect(tailSecondsOf(outage('PT5S'), 15)).toBe(5);
    const capped = capDurations(outage('PT40S'), 15);
    expect(capped.experimentReportConfiguration?.postExperimentDuration).toBe('PT15S');
    expect(experimentSeconds(capped)).toBe(15);
    expect(capDurations(outage('PT5S'), 15).experimentReportConfiguration?.postExperimentDuration).toBe('PT5S');
    expect(capDurations(outage(), 15).experimentReportConfiguration).toBeUndefined();
  });

  // experiment-templates.spec.ts runs each of them through the simulator, window included.
  it('the outage templates and crash-between-update-and-send plan their recovery', () => {
    expect(tailSecondsOf(loadExperimentTemplate('sqs-outage'))).toBe(40);
    expect(tailSecondsOf(loadExperimentTemplate('sqs-dynamodb-impairment'))).toBe(30);
    expect(tailSecondsOf(loadExperimentTemplate('crash-between-update-and-send'))).toBe(30);
  });
});
