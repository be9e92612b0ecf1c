import { LADDER_RESOLUTION, refinedRate } from './throughput-ladder';

/** The ladder's one refinement step: halfway between the last rate kept up with and the first not, on its resolution. */
describe('refinedRate', () => {
  it.each([
    [20, 25, 22.5],
    [15, 25, 20],
    [20, 30, 25],
    [10, 15, 12.5],
    [0, 5, 2.5],
  ])('kept up at %s, behind at %s: tries %s', (kept, behind, refined) => {
    expect(refinedRate(kept, behind)).toBe(refined);
  });

  it(`tries nothing when the two are ${LADDER_RESOLUTION} images/s apart or closer`, () => {
    expect(refinedRate(20, 22.5)).toBeUndefined();
    expect(refinedRate(20, 21)).toBeUndefined();
  });
});
