import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { FaultWindow, TimelineMark } from './report-data';
import type { TimelinePoint } from './timeline';

const WIDTH = 740;
/** Beyond this many kills and replacements, labels overlap: draw the rules only (the legend says which is which). */
const MAX_LABELLED_MARKS = 12;

/**
 * The experiment timeline as SVG, drawn by vega-lite: request and error rates above, p95 latency
 * below, FIS action windows shaded on both, kills and replacements as labelled rules, and every
 * violation as a red point at its image's last operation.
 */
export async function timelineSvg(
  points: readonly TimelinePoint[],
  faults: readonly FaultWindow[],
  marks: readonly TimelineMark[],
  startedAt: number,
): Promise<string> {
  const windows = faults.map((f) => ({ from: (f.start - startedAt) / 1000, to: (f.end - startedAt) / 1000, action: f.action }));
  const events = marks.filter((m) => m.kind !== 'violation').map((m) => ({ t: (m.at - startedAt) / 1000, kind: m.kind, label: m.label }));
  const violations = marks.filter((m) => m.kind === 'violation').map((m) => ({ t: (m.at - startedAt) / 1000, label: m.label }));
  const rates = points.flatMap((p) => [
    { t: p.t, series: 'requests/s', value: p.requests },
    { t: p.t, series: 'info/s (5xx, network, timeout)', value: p.errors },
  ]);
  const x = { field: 't', type: 'quantitative', title: 'seconds since start' } as const;
  const shading = {
    data: { values: windows },
    mark: { type: 'rect', opacity: 0.18, color: '#d62728' },
    encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' }, tooltip: [{ field: 'action' }] },
  };
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
  const rules = { data: { values: events }, layer: events.length <= MAX_LABELLED_MARKS ? [rule, label] : [rule] };
  const violationPoints = {
    data: { values: violations },
    mark: { type: 'point', shape: 'triangle-down', filled: true, size: 80, color: '#d62728' },
    encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 6 }, tooltip: [{ field: 'label', title: 'violation' }] },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    vconcat: [
      {
        width: WIDTH,
        height: 200,
        title: `Requests and errors per second (shaded: FIS actions; ▼: ${violations.length} violation(s))`,
        layer: [
          shading,
          {
            data: { values: rates },
            mark: { type: 'line', interpolate: 'step-after' },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative', title: 'per second' },
              color: {
                field: 'series',
                type: 'nominal',
                title: null,
                scale: { domain: ['requests/s', 'info/s (5xx, network, timeout)'], range: ['#1f77b4', '#ff7f0e'] },
              },
            },
          },
          ...(events.length ? [rules] : []),
          ...(violations.length ? [violationPoints] : []),
        ],
        resolve: { scale: { color: 'independent' } },
      },
      {
        width: WIDTH,
        height: 160,
        title: 'p95 latency per second (ms)',
        layer: [
          shading,
          {
            data: { values: points },
            mark: { type: 'line', color: '#2ca02c', interpolate: 'step-after' },
            encoding: { x, y: { field: 'p95Ms', type: 'quantitative', title: 'ms' } },
          },
          ...(events.length ? [rules] : []),
        ],
        resolve: { scale: { color: 'independent' } },
      },
    ],
  };
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
