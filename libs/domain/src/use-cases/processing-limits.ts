/**
 * How many times an image may be tried before it ends `failed`. Counted on the item, so the
 * bound holds across dead-lettering and re-enqueueing (a message's own receive count restarts
 * with every new message). Unbounded unless configured (the worker configures it).
 */
export interface ProcessingLimits {
  readonly maxAttempts: number;
}

export const UNBOUNDED: ProcessingLimits = { maxAttempts: Number.POSITIVE_INFINITY };

/** Failure reasons, a stable prefix each: operators and the checker read them. */
export const FAILURE = {
  noRawKey: 'no_raw_object: the image is uploaded but names no raw object',
  rawMissing: (key: string) => `no_raw_object: ${key} does not exist (expired or deleted)`,
  exhausted: (attempts: number) => `attempts_exhausted: ${attempts} attempts (failed jobs and re-enqueues) without success`,
} as const;
