import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from '@imagery/kernel/repo-root';
import type { EmulatorEndpoints } from './emulator/data-stack';
import { isAlive } from '@imagery/kernel/process/is-alive';

/**
 * What `npm start` publishes in .run/platform.json: how every other command (`npm run chaos`,
 * `npm run dlq`, ...) finds the running local platform and reaches its parts.
 */
export interface PlatformDescription {
  readonly pid: number;
  readonly url: string;
  /** The local FIS simulator; absent in AWS, where the SDK's default FIS endpoint is used. */
  readonly fisUrl: string | undefined;
  readonly toxiproxyUrl: string;
  /** Where stacks are deployed and read back (CloudFormation): the emulator's DynamoDB process; '' in AWS. */
  readonly emulatorEndpoint: string;
  /** The emulator's process for each service (each holds the whole data stack); absent in AWS. */
  readonly emulatorEndpoints?: EmulatorEndpoints;
  /**
   * Configuration for clients that talk to the emulator directly (the checker, the DLQ tool), not
   * through Toxiproxy: AWS_REGION, credentials, AWS_ENDPOINT_URL_*, IMAGES_* resource names and URLs.
   */
  readonly directEnv: Readonly<Record<string, string>>;
  readonly maxUploadBytes: number;
  /** CHAOS_BUILD of every instance: `real`, `seed` or `mutant:<name>` (libs/adversaries). */
  readonly build: string;
  readonly eventsFile: string;
  /** The fleet's seed: each launch seeds its API faults from (seed, slot, generation). Absent in AWS. */
  readonly seed?: number;
  /** Where every instance appends the API faults it injects (`<instance id>.jsonl`). Absent in AWS. */
  readonly faultLogDir?: string;
}

const descriptionSchema = z.object({
  pid: z.number().int().positive(),
  url: z.string().min(1),
  fisUrl: z.string().optional(),
  toxiproxyUrl: z.string(),
  emulatorEndpoint: z.string(),
  emulatorEndpoints: z.object({ dynamodb: z.string(), s3: z.string(), sqs: z.string() }).optional(),
  directEnv: z.record(z.string()),
  maxUploadBytes: z.number(),
  // Descriptions written before builds existed ran the real one.
  build: z.string().default('real'),
  eventsFile: z.string(),
  seed: z.number().optional(),
  faultLogDir: z.string().optional(),
});

/** Where `npm start` publishes its description. */
export const platformFile = (): string => join(repoRoot(), '.run', 'platform.json');

export function publishPlatform(description: PlatformDescription, file = platformFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(description, null, 2));
}

export function unpublishPlatform(file = platformFile()): void {
  rmSync(file, { force: true });
}

export interface FindPlatformOptions {
  /** Only a platform running this build (`real`, `seed`, `mutant:<name>`); any build when absent. */
  readonly build?: string;
  /** The description to read (default .run/platform.json). */
  readonly file?: string;
  readonly healthTimeoutMs?: number;
}

/**
 * The local platform `npm start` published, if its process is still alive and it answers /health
 * (a description left behind by a killed `npm start` is ignored). Every command that uses the
 * running platform finds it here.
 */
export async function findRunningPlatform(options: FindPlatformOptions = {}): Promise<PlatformDescription | undefined> {
  const description = readDescription(options.file ?? platformFile());
  if (!description || !isAlive(description.pid)) return undefined;
  if (options.build !== undefined && description.build !== options.build) return undefined;
  const healthy = await fetch(`${description.url}/health`, { signal: AbortSignal.timeout(options.healthTimeoutMs ?? 2_000) }).then(
    (r) => r.ok,
    () => false,
  );
  return healthy ? description : undefined;
}

function readDescription(file: string): PlatformDescription | undefined {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // being written, or cut short
  }
  const parsed = descriptionSchema.safeParse(json);
  return parsed.success ? { ...parsed.data, fisUrl: parsed.data.fisUrl } : undefined;
}
