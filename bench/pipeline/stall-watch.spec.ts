import { StallDetector } from './stall-watch';

/** Ticks every 250 ms of both clocks, with `late` ms added before the tick at index `at`. */
function run(ticks: number, late: { at: number; wallMs: number; monoMs: number }[] = []) {
  const detector = new StallDetector(250);
  let wall = 1_700_000_000_000;
  let mono = 1_000;
  for (let i = 0; i < ticks; i++) {
    for (const l of late.filter((x) => x.at === i)) {
      wall += l.wallMs;
      mono += l.monoMs;
    }
    detector.tick(wall, mono);
    wall += 250;
    mono += 250;
  }
  return detector.stalls();
}

describe('StallDetector (the machine standing still under the bench)', () => {
  it('sees nothing while the timer fires on time', () => {
    expect(run(400)).toEqual({ count: 0, longestSeconds: 0, totalSeconds: 0 });
  });

  it("leaves a loaded event loop's lag alone (1.5 s late)", () => {
    expect(run(100, [{ at: 50, wallMs: 1_500, monoMs: 1_500 }]).count).toBe(0);
  });

  it('counts a pause that both clocks saw, at its length', () => {
    expect(run(100, [{ at: 40, wallMs: 13_000, monoMs: 13_000 }])).toEqual({ count: 1, longestSeconds: 13, totalSeconds: 13 });
  });

  it('counts a pause only the wall clock saw (the monotonic clock stood still with the VM), and one only the monotonic saw', () => {
    const stalls = run(100, [
      { at: 20, wallMs: 9_000, monoMs: 0 },
      { at: 70, wallMs: 0, monoMs: 3_000 },
    ]);
    expect(stalls).toEqual({ count: 2, longestSeconds: 9, totalSeconds: 12 });
  });
});
