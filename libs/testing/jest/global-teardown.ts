// jest runs its global setup and teardown outside its module mapper: the @imagery/* paths come from tsconfig.json here.
import 'tsconfig-paths/register';
import { rememberMoto, rememberedMoto } from '../platform/local-aws';

/** Stops the moto server of libs/testing/jest/global-setup.ts; its data was in memory only, so nothing is left behind. */
export default async function globalTeardown(): Promise<void> {
  await rememberedMoto()?.stop();
  rememberMoto(undefined);
}
