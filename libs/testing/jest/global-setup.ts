// jest runs its global setup and teardown outside its module mapper: the @imagery/* paths come from tsconfig.json here.
import 'tsconfig-paths/register';
import { deployDataStack, resourcesToEnv } from '../../../platform/local/emulator/data-stack';
import { startMotoServer } from '../../../platform/local/emulator/moto-server';
import { EMULATOR_ENDPOINT_ENV, GLOBAL_STACK_NAME, rememberMoto } from '../platform/local-aws';

/**
 * One moto server and one data stack for the whole jest run: starting moto costs about a second,
 * a stack a fraction of that, so tests that need isolation deploy their own stack on this server
 * (libs/testing/platform/local-aws.ts deployFreshStack) instead of starting another server.
 * The configuration goes into process.env, which the tests see (same process with --runInBand;
 * jest's workers inherit it otherwise).
 */
export default async function globalSetup(): Promise<void> {
  const moto = await startMotoServer({ port: 0, logName: 'moto-jest', variant: 'lean' });
  try {
    const resources = await deployDataStack({ endpoint: moto.endpoint, stackName: GLOBAL_STACK_NAME });
    Object.assign(process.env, resourcesToEnv(moto.endpoint, resources), { [EMULATOR_ENDPOINT_ENV]: moto.endpoint });
    rememberMoto(moto);
  } catch (error) {
    await moto.stop();
    throw error;
  }
}
