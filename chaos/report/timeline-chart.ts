import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { FisActionWindow, TimelineMark } from './report-data';
import type { TimelinePoint } from './timeline';

const WIDTH = 740;
/** Beyond this many kills and replacements, labels overlap: draw the rules only (the legend says which is which). */
const MAX_LABELLED_MARKS = 12;
const RATE_SERIES = ['requests/s', 'info/s (5xx, network, timeout)'];
const x = { field: 't', type: 'quantitative', title: 'seconds since start' } as const;

/**
 * The experiment timeline as SVG, drawn by vega-lite: request and error rates above, p95 latency
 * below, FIS action windows shaded on both, kills and replacements as labelled rules, and every
 * violation as a red point at its image's last operation.
 */
export async function timelineSvg(
  points: readonly TimelinePoint[],
  faults: readonly FisActionWindow[],
  marks: readonly TimelineMark[],
  startedAt: number,
): Promise<string> {
  const seconds = (at: number) => (at - startedAt) / 1000;
  const windows = faults.map((f) => ({ from: seconds(f.start), to: seconds(f.end), action: f.action }));
  const events = marks.filter((m) => m.kind !== 'violation').map((m) => ({ t: seconds(m.at), kind: m.kind, label: m.label }));
  const violations = marks.filter((m) => m.kind === 'violation').map((m) => ({ t: seconds(m.at), label: m.label }));
  const shading = shadingLayer(windows);
  const rules = events.length ? [rulesLayer(events)] : [];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    vconcat: [
      {
        width: WIDTH,
        height: 200,
        title: `Requests and errors per second (shaded: FIS actions; ▼: ${violations.length} violation(s))`,
        layer: [shading, ratesLayer(points), ...rules, ...(violations.length ? [violationsLayer(violations)] : [])],
        resolve: { scale: { color: 'independent' } },
      },
      {
        width: WIDTH,
        height: 160,
        title: 'p95 latency per second (ms)',
        layer: [shading, latencyLayer(points), ...rules],
        resolve: { scale: { color: 'independent' } },
      },
    ],
  };
  return render(spec);
}

async function render(spec: object): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The FIS actions' windows, shaded. */
function shadingLayer(windows: readonly { from: number; to: number; action: string }[]) {
  return {
    data: { values: windows },
    mark: { type: 'rect', opacity: 0.18, color: '#d62728' },
    encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' }, tooltip: [{ field: 'action' }] },
  };
}

/** Requests and `info` completions per second, as steps. */
function ratesLayer(points: readonly TimelinePoint[]) {
  const rates = points.flatMap((p) => [
    { t: p.t, series: RATE_SERIES[0], value: p.requests },
    { t: p.t, series: RATE_SERIES[1], value: p.errors },
  ]);
  return {
    data: { values: rates },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: 'per second' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: RATE_SERIES, range: ['#1f77b4', '#ff7f0e'] } },
    },
  };
}

function latencyLayer(points: readonly TimelinePoint[]) {
  return {
    data: { values: points },
    mark: { type: 'line', color: '#2ca02c', interpolate: 'step-after' },
    encoding: { x, y: { field: 'p95Ms', type: 'quantitative', title: 'ms' } },
  };
}

/** Kills and replacements as dashed rules, labelled while few enough to read. */
function rulesLayer(events: readonly { t: number; kind: string; label: string }[]) {
  const rule = {
    mark: { type: 'rule', strokeDash: [4, 3] },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      color: { field: 'kind', type: 'nominal', title: `events (${events.length})` },
      tooltip: [{ field: 'label' }],
    },
  };
  const label = {
    mark: { type: 'text', angle: 270, align: 'left', dx: 4, dy: -4, fontSize: 9 },
    encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
  };
  return { data: { values: events }, layer: events.length <= MAX_LABELLED_MARKS ? [rule, label] : [rule] };
}

function violationsLayer(violations: readonly { t: number; label: string }[]) {
  return {
    data: { values: violations },
    mark: { type: 'point', shape: 'triangle-down', filled: true, size: 80, color: '#d62728' },
    encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 6 }, tooltip: [{ field: 'label', title: 'violation' }] },
  };
}
