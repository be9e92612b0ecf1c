import { AwsResourcesEnv, awsResourcesEnvSchema, createPlatformAdapters, parseEnv, PlatformAdapters } from '@imagery/aws-adapters';
import { newImage, systemClock, transitionImage } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import sharp from 'sharp';
import { deployDataStack, resourcesToEnv } from '../../platform/local/emulator/data-stack';
import { startMotoServer } from '../../platform/local/emulator/moto-server';
import type { Teardown } from '@imagery/kernel/process/teardown';
import { log } from './settings';

/** The bench's own moto server with the data stack on it, and the platform's adapters on that. */
export interface SepiaEmulator {
  readonly endpoint: string;
  /** The data stack's resources as the apps' environment. */
  readonly env: Record<string, string>;
  readonly config: AwsResourcesEnv;
  readonly adapters: PlatformAdapters;
}

export async function startEmulator(teardown: Teardown): Promise<SepiaEmulator> {
  log('starting moto_server and deploying the data stack...');
  const moto = await startMotoServer({ logName: 'bench-sepia-moto' });
  teardown.add(moto, (m) => m.stop(), 'moto_server');
  const resources = await deployDataStack({ endpoint: moto.endpoint, stackName: 'bench-sepia' });
  const env = resourcesToEnv(moto.endpoint, resources);
  Object.assign(process.env, env); // the SDK reads endpoints and credentials from the environment
  const config = parseEnv(awsResourcesEnvSchema, env);
  const adapters = createPlatformAdapters(config);
  teardown.add(adapters.clients, (c) => c.destroy(), 'AWS clients');
  log(`moto on ${moto.endpoint} (log ${moto.logFile}); ${cpus().length} CPU(s), node ${process.version}, libvips ${sharp.versions.vips}`);
  return { endpoint: moto.endpoint, env, config, adapters };
}

/** A fresh image in the table, `uploaded`, its raw object at `rawS3Key`: a job for the worker. */
export async function uploadedImage(adapters: PlatformAdapters, rawS3Key: string): Promise<string> {
  const id = randomUUID();
  await adapters.table.create(newImage(id, Date.now()));
  await transitionImage(adapters.table, systemClock, id, { to: 'uploaded', rawS3Key });
  return id;
}
