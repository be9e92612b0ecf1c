import type { MetricSample } from '@imagery/control-plane/control-plane';

/**
 * Parses the Prometheus text exposition format (what prom-client serves) into flat samples:
 * histograms stay as their `_bucket`/`_sum`/`_count` series, which is what stop conditions read.
 * A dozen lines, so no dependency: the npm parsers found (parse-prometheus-text-format) are
 * unmaintained, untyped and regroup histograms into nested objects we would flatten back.
 */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) throw new Error(`not a Prometheus sample: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest);
      labels = parsed.labels;
      rest = rest.slice(parsed.length);
    }
    const value = rest.trim().split(/\s+/)[0]; // an optional timestamp may follow
    samples.push({ name, labels, value: parseValue(value, line) });
  }
  return samples;
}

/** `{a="x",b="y\"z"}` → labels and how many characters the block took. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } {
  const labels: Record<string, string> = {};
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;
  let at = 1;
  while (text[at] !== '}') {
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (!match) {
      if (/^\s*\}/.test(text.slice(at))) return { labels, length: text.indexOf('}', at) + 1 };
      throw new Error(`malformed labels: ${text}`);
    }
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = pair.lastIndex;
  }
  return { labels, length: at + 1 };
}

function parseValue(text: string | undefined, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === undefined || text === '' || Number.isNaN(value)) throw new Error(`no value in Prometheus sample: ${line}`);
  return value;
}
