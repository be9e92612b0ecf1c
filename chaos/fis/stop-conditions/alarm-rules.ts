import type { MetricSample } from '@imagery/control-plane/control-plane';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmVerdict {
  readonly state: AlarmState;
  /** Why, with the measured value (goes into the experiment's stop reason). */
  readonly reason: string;
}

/** One alarm being watched for one experiment: it sees every scrape, in order, and may keep history. */
export interface AlarmEvaluator {
  evaluate(samples: readonly MetricSample[], atMs: number): AlarmVerdict;
}

/** Label matchers, like PromQL's: a string matches exactly, a RegExp matches the whole value (`=~`). */
export type LabelMatchers = Readonly<Record<string, string | RegExp>>;

export interface MetricSelector {
  readonly metric: string;
  readonly labels?: LabelMatchers;
}

export function selectSamples(samples: readonly MetricSample[], selector: MetricSelector): MetricSample[] {
  return samples.filter(
    (s) => s.name === selector.metric && Object.entries(selector.labels ?? {}).every(([k, m]) => labelMatches(s.labels[k], m)),
  );
}

/** Anchored copies, made once per matcher rather than per sample on every scrape. */
const anchoredMatchers = new WeakMap<RegExp, RegExp>();

function labelMatches(value: string | undefined, matcher: string | RegExp): boolean {
  if (typeof matcher === 'string') return value === matcher;
  let anchored = anchoredMatchers.get(matcher);
  if (!anchored) anchoredMatchers.set(matcher, (anchored = new RegExp(`^(?:${matcher.source})$`, matcher.flags)));
  return anchored.test(value ?? '');
}

/**
 * A gauge aggregated across instances, above a threshold — e.g. dead-letter queue depth > 0.
 * No matching sample means no data (the instances that report it may be down): not an alarm.
 */
export function gaugeAbove(
  options: MetricSelector & { threshold: number; aggregate?: 'sum' | 'max'; sinceLowest?: boolean },
): () => AlarmEvaluator {
  return () => {
    // sinceLowest: judged against the lowest value this experiment saw, so what earlier runs left
    // (old dead letters) never trips it; only a rise during the experiment does.
    let lowest = Infinity;
    return {
      evaluate: (samples) => {
        const values = selectSamples(samples, options).map((s) => s.value);
        if (values.length === 0) return { state: 'INSUFFICIENT_DATA', reason: `no ${options.metric} samples` };
        const value = options.aggregate === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
        lowest = Math.min(lowest, value);
        const base = options.sinceLowest ? lowest : 0;
        const state = value - base > options.threshold ? 'ALARM' : 'OK';
        const shown = options.sinceLowest ? `${value} - ${base} at the lowest` : `${value}`;
        return { state, reason: `${options.aggregate ?? 'sum'}(${options.metric}) = ${shown} (threshold > ${options.threshold})` };
      },
    };
  };
}

/**
 * The per-second rate of a counter over a sliding window, from successive scrapes: each series'
 * increase since the previous scrape (a counter that went down was reset by a restarted
 * instance: its new value is the increase), summed, divided by the window. The first scrape of
 * a series is its baseline. Until the window has been covered the verdict is INSUFFICIENT_DATA.
 */
export function rateAbove(options: MetricSelector & { threshold: number; windowMs: number }): () => AlarmEvaluator {
  return () => {
    const last = new Map<string, number>();
    const increases: { at: number; value: number }[] = [];
    let firstAt: number | undefined;
    return {
      evaluate: (samples, at) => {
        firstAt ??= at;
        let increase = 0;
        for (const s of selectSamples(samples, options)) {
          const key = seriesKey(s);
          const previous = last.get(key);
          if (previous !== undefined) increase += s.value >= previous ? s.value - previous : s.value;
          last.set(key, s.value);
        }
        increases.push({ at, value: increase });
        while (increases.length > 0 && increases[0].at <= at - options.windowMs) increases.shift();
        if (at - firstAt < options.windowMs)
          return { state: 'INSUFFICIENT_DATA', reason: `less than ${options.windowMs} ms of ${options.metric} observed` };
        const rate = increases.reduce((sum, i) => sum + i.value, 0) / (options.windowMs / 1000);
        const state = rate > options.threshold ? 'ALARM' : 'OK';
        return {
          state,
          reason: `rate(${options.metric}[${options.windowMs / 1000}s]) = ${rate.toFixed(2)}/s (threshold > ${options.threshold}/s)`,
        };
      },
    };
  };
}

const seriesKey = (s: MetricSample) =>
  `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
