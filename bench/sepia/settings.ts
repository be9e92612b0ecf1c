import type { Summary } from '@imagery/kernel/stats';

export const JPEG_QUALITY = 85;
/** Rounds of every variant run before the timed ones. */
export const WARMUP = 2;
export const RSS_LIMIT_MB = 400;
export const RSS_CONCURRENCY = 4;
export const RSS_SAMPLE_MS = 50;
/** The worker's transform may cost at most this many times bare sharp. */
export const TRANSFORM_TARGET = 1.2;
/** S3 bodies arrive in socket-sized chunks; feed the in-memory runs the same way. */
export const CHUNK_BYTES = 64 * 1024;

export interface SizeSpec {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
}

export const SIZES: readonly SizeSpec[] = [
  { label: '1 MP', width: 1152, height: 864, iterations: 40 },
  { label: '4 MP', width: 2304, height: 1728, iterations: 30 },
  { label: '12 MP', width: 4000, height: 3000, iterations: 20 },
];

export type Variant = 'bare' | 'transform' | 'worker' | 's3' | 'ddb';
export const VARIANTS: readonly Variant[] = ['bare', 'transform', 'worker', 's3', 'ddb'];

export interface SizeResult {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly jpegBytes: number;
  readonly sepiaBytes: number;
  readonly iterations: number;
  /** ms per image: bare sharp; the worker's sepia stream; the worker's job; S3 get+put alone; the job's DynamoDB calls alone. */
  readonly timings: Record<Variant, Summary>;
  readonly ratios: { readonly transform: number; readonly worker: number; readonly workerNetOfEmulator: number };
  readonly sepiaCheck: { readonly ok: boolean; readonly meanError: number };
}

export interface RssResult {
  readonly images: number;
  readonly concurrency: number;
  readonly megapixels: number;
  readonly maxInputPixels: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly sampledMaxRssMb: number;
  readonly samples: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly processed: number;
  readonly jobErrors: number;
  readonly limitMb: number;
  readonly pass: boolean;
}

export const log = (line: string): void => console.log(`[bench] ${line}`);
export const ms = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
export const kb = (bytes: number): string => String(Math.round(bytes / 1024));
