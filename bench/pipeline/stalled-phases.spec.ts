import type { Measurements } from './measurements';
import { stalledPhases, stallsLine } from './stalled-phases';

const calm = { count: 0, longestSeconds: 0, totalSeconds: 0 };
const paused = { count: 1, longestSeconds: 13.6, totalSeconds: 13.6 };

function measurements(apiNoFault = calm, ladder25 = calm): Measurements {
  const phase = (name: string, stalls = calm) => ({ name, cpu: { stalls } });
  return {
    ceiling: { sharpRate: { sepia: { stalls: calm }, pipeline: { stalls: calm } } },
    warmUp: phase('warm-up'),
    latency: phase('latency'),
    idle: { cpu: { stalls: calm } },
    apiLoads: [phase('api-no-fault', apiNoFault)],
    apiSaturation: { steps: [{ load: phase('api-saturation-100') }] },
    throughput: [phase('ladder-20'), phase('ladder-25', ladder25)],
  } as unknown as Measurements;
}

describe('stalledPhases (phases that measured a pause of the machine)', () => {
  it('lists none, and says so, when no clock stood still', () => {
    expect(stalledPhases(measurements())).toEqual([]);
    expect(stallsLine([])).toContain('no stall');
  });

  it('lists each stalled phase, in the order they ran, and tells to run the bench again', () => {
    const stalled = stalledPhases(measurements(paused, { count: 2, longestSeconds: 4, totalSeconds: 6.5 }));
    expect(stalled.map((p) => p.phase)).toEqual(['api-no-fault', 'ladder-25']);
    const line = stallsLine(stalled);
    expect(line).toMatch(
      /^STALLED: the machine stood still during api-no-fault \(13\.6 s, longest 13\.6 s\), ladder-25 \(6\.5 s, longest 4 s\)/,
    );
    expect(line).toContain('run the bench again');
  });
});
