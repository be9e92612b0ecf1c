/**
 * ISO-8601 durations as FIS takes them (`PT30S`, `PT2M`, `PT1H30M`, `P1D`). Fractions of a
 * second are accepted so tests can run a `PT0.5S` action; AWS itself wants at least a minute
 * for most actions, which the simulator does not enforce (local runs are short on purpose).
 */
const PATTERN = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds, or undefined when `text` is not an ISO-8601 duration. */
export function parseIsoDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, days, hours, minutes, seconds] = match;
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) return undefined;
  const ms = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 + Number(seconds ?? 0) * 1000;
  return Math.round(ms);
}

export function requireIsoDuration(text: string, what: string): number {
  const ms = parseIsoDuration(text);
  if (ms === undefined) throw new Error(`${what}: "${text}" is not an ISO 8601 duration (e.g. PT30S, PT2M, PT1H)`);
  return ms;
}
