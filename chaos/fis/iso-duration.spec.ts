import { parseIsoDuration } from './iso-duration';

describe('ISO 8601 durations', () => {
  it.each([
    ['PT30S', 30_000],
    ['PT2M', 120_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['PT0.5S', 500],
    ['PT1M1S', 61_000],
  ])('%s is %d ms', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));

  it.each(['30s', 'PT', 'P', 'PT1X', '1M', 'PTM', '', 'P1DT'])('%p is refused', (text) => expect(parseIsoDuration(text)).toBeUndefined());
});
