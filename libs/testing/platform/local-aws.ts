import { randomBytes } from 'node:crypto';
import {
  deployDataStack,
  resourcesToEnv,
  type DataStackParameters,
  type LocalResources,
} from '../../../platform/local/emulator/data-stack';
import type { MotoServer } from '../../../platform/local/emulator/moto-server';

/**
 * Helpers for tests that talk to the moto server started by libs/testing/jest/global-setup.ts.
 * The global setup puts the emulator's endpoint and the global stack's app configuration
 * (resourcesToEnv) into process.env, which is how they reach the tests.
 */

/** Where the emulator itself listens (the apps' per-service endpoints may later point at proxies). */
export const EMULATOR_ENDPOINT_ENV = 'IMAGERY_TEST_EMULATOR_ENDPOINT';
/** The stack the global setup deploys; shared by all tests of a run. */
export const GLOBAL_STACK_NAME = 'imagery-test';

export interface TestStack {
  endpoint: string;
  stackName: string;
  resources: LocalResources;
  /** The apps' configuration for this stack: spread it into a child process's env or a ConfigModule. */
  env: Record<string, string>;
}

export function emulatorEndpoint(): string {
  return required(EMULATOR_ENDPOINT_ENV);
}

/** The global stack's resources, read back from the env the global setup wrote. */
export function testResources(): LocalResources {
  return {
    bucketName: required('IMAGES_BUCKET'),
    tableName: required('IMAGES_TABLE'),
    queueUrl: required('IMAGES_QUEUE_URL'),
    deadLetterQueueUrl: required('IMAGES_DLQ_URL'),
    stateIndexName: required('IMAGES_TABLE_STATE_INDEX'),
  };
}

/**
 * A new data stack on the same moto server, for a test that must not see other tests' items or
 * messages (e.g. asserting a queue is drained). The name gets a unique suffix, so a name can be
 * reused across tests and runs.
 */
export async function deployFreshStack(name: string, parameters?: DataStackParameters): Promise<TestStack> {
  const endpoint = emulatorEndpoint();
  const stackName = `${name}-${randomBytes(4).toString('hex')}`;
  const resources = await deployDataStack({ endpoint, stackName, parameters });
  return { endpoint, stackName, resources, env: resourcesToEnv(endpoint, resources) };
}

// The moto handle travels from global setup to global teardown on globalThis (jest runs both in
// its parent process); Symbol.for gives both the same key even if they load this module separately.
const MOTO = Symbol.for('imagery.test.moto');
type WithMoto = typeof globalThis & { [MOTO]?: MotoServer };

export function rememberMoto(server: MotoServer | undefined): void {
  (globalThis as WithMoto)[MOTO] = server;
}

export function rememberedMoto(): MotoServer | undefined {
  return (globalThis as WithMoto)[MOTO];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests through jest, whose global setup (libs/testing/jest/global-setup.ts) sets it`);
  return value;
}
