/** "90s", "2m", "1m30s", "1h", "500ms" (k6's duration strings) or a number of milliseconds → milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`a duration must be ≥ 0 ms; got ${value}`);
    return value;
  }
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let match = re.exec(value); match; match = re.exec(value)) {
    total += Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += match[0].length;
  }
  if (value === '' || consumed !== value.length) throw new Error(`a duration looks like 500ms, 60s, 2m or 1m30s; got "${value}"`);
  return total;
}
