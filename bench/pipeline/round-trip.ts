import type { DynamoDbImageTable } from '@imagery/aws-adapters';
import { Agent, request } from 'node:http';
import { percentile, round2 } from '@imagery/kernel/stats';

export type RoundTripVariant = 'adapter' | 'adapterViaProxy' | 'apiDirect' | 'apiDirectUnprocessed' | 'apiViaHaproxy';
export const ROUND_TRIP_VARIANTS: readonly RoundTripVariant[] = [
  'adapter',
  'adapterViaProxy',
  'apiDirect',
  'apiDirectUnprocessed',
  'apiViaHaproxy',
];

export interface LatencySummary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface RoundTripResult {
  readonly rounds: number;
  readonly imageId: string;
  readonly imageState: string;
  readonly ms: Readonly<Record<RoundTripVariant, LatencySummary>>;
  /** p50 ratios: the API over the adapter round trip it wraps. */
  readonly ratios: {
    /** GET /image/:id on one instance ÷ DynamoDbImageTable.get through the same Toxiproxy hop the instance uses. */
    readonly apiDirectOverAdapterViaProxy: number;
    /** GET /image/:id on one instance ÷ DynamoDbImageTable.get straight to the emulator. */
    readonly apiDirectOverAdapter: number;
    /** GET /image/:id via HAProxy (and the instance's Toxiproxy proxy) ÷ DynamoDbImageTable.get straight to the emulator. */
    readonly haproxyOverAdapter: number;
  };
}

/**
 * One request at a time, idle platform, the variants interleaved (rotated each round so none always
 * follows the same neighbour): the raw adapter round trip (DynamoDbImageTable.get, a consistent
 * GetItem) straight to the emulator and through Toxiproxy's dynamodb proxy, and GET /image/:id on one
 * API instance directly (a processed image, whose view carries a presigned URL, and one still
 * `created`) and through HAProxy. Keep-alive connections throughout, as the SDK and HAProxy use.
 */
export async function measureRoundTrips(options: {
  readonly imageId: string;
  /** An image still `created`: its view has no presigned URL to sign. */
  readonly unprocessedImageId: string;
  readonly adapter: DynamoDbImageTable;
  readonly adapterViaProxy: DynamoDbImageTable;
  readonly apiDirectUrl: string;
  readonly haproxyUrl: string;
  readonly rounds: number;
  readonly warmup: number;
  readonly log: (line: string) => void;
}): Promise<RoundTripResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  let state = '?';
  const runs: Record<RoundTripVariant, () => Promise<unknown>> = {
    adapter: async () => {
      const image = await options.adapter.get(options.imageId);
      if (!image) throw new Error(`image ${options.imageId} not found`);
      state = image.state;
    },
    adapterViaProxy: () => options.adapterViaProxy.get(options.imageId),
    apiDirect: () => httpGet(agent, `${options.apiDirectUrl}/image/${options.imageId}`),
    apiDirectUnprocessed: () => httpGet(agent, `${options.apiDirectUrl}/image/${options.unprocessedImageId}`),
    apiViaHaproxy: () => httpGet(agent, `${options.haproxyUrl}/image/${options.imageId}`),
  };
  const samples = Object.fromEntries(ROUND_TRIP_VARIANTS.map((v) => [v, [] as number[]])) as Record<RoundTripVariant, number[]>;
  try {
    for (let i = 0; i < options.warmup + options.rounds; i++) {
      for (let k = 0; k < ROUND_TRIP_VARIANTS.length; k++) {
        const variant = ROUND_TRIP_VARIANTS[(i + k) % ROUND_TRIP_VARIANTS.length];
        const t = performance.now();
        await runs[variant]();
        if (i >= options.warmup) samples[variant].push(performance.now() - t);
      }
    }
  } finally {
    agent.destroy();
  }
  const ms = Object.fromEntries(ROUND_TRIP_VARIANTS.map((v) => [v, summarizeLatency(samples[v])])) as Record<
    RoundTripVariant,
    LatencySummary
  >;
  const ratio = (a: number, b: number) => round2(a / b);
  const result: RoundTripResult = {
    rounds: options.rounds,
    imageId: options.imageId,
    imageState: state,
    ms,
    ratios: {
      apiDirectOverAdapterViaProxy: ratio(ms.apiDirect.p50, ms.adapterViaProxy.p50),
      apiDirectOverAdapter: ratio(ms.apiDirect.p50, ms.adapter.p50),
      haproxyOverAdapter: ratio(ms.apiViaHaproxy.p50, ms.adapter.p50),
    },
  };
  options.log(
    `round trips (p50, ${options.rounds} rounds): adapter ${ms.adapter.p50} ms, adapter via Toxiproxy ${ms.adapterViaProxy.p50} ms, ` +
      `API direct ${ms.apiDirect.p50} ms (unprocessed image ${ms.apiDirectUnprocessed.p50} ms), via HAProxy ${ms.apiViaHaproxy.p50} ms`,
  );
  return result;
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return {
    n: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p90: round2(percentile(sorted, 90)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted[sorted.length - 1] ?? NaN),
    mean: round2(mean),
  };
}

/** GET `url`, drained; rejects unless it answers 200 within 10 s. */
export function httpGet(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Accept: 'application/json' } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}
