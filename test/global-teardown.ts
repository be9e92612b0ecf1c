import { rememberMoto, rememberedMoto } from './local-aws';

/** Stops the moto server of test/global-setup.ts; its data was in memory only, so nothing is left behind. */
export default async function globalTeardown(): Promise<void> {
  await rememberedMoto()?.stop();
  rememberMoto(undefined);
}
