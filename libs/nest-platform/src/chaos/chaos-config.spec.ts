import { join } from 'node:path';
import { chaosConfigFrom, chaosEnvSchema, parseChaosBuild } from './chaos-config';
import { NO_ADVERSARY, loadAdversary } from './adversary';

const env = (overrides: Record<string, string>) => chaosEnvSchema.parse(overrides);

describe('CHAOS_BUILD', () => {
  it('is real by default and parses real, seed and mutant:<name>', () => {
    expect(chaosConfigFrom(env({})).build).toEqual({ kind: 'real' });
    expect(parseChaosBuild('seed')).toEqual({ kind: 'seed' });
    expect(parseChaosBuild('mutant:no-repair-sweep')).toEqual({ kind: 'mutant', name: 'no-repair-sweep' });
  });

  it('refuses anything else', () => {
    for (const bad of ['naive', 'mutant:', 'mutant:../x', 'SEED', '']) {
      expect(() => chaosConfigFrom(env({ CHAOS_MODE: 'true', CHAOS_BUILD: bad }))).toThrow(
        /CHAOS_BUILD must be real, seed or mutant:<name>/,
      );
    }
  });

  it('refuses an adversary without chaos mode', () => {
    expect(() => chaosConfigFrom(env({ CHAOS_BUILD: 'seed' }))).toThrow('CHAOS_BUILD=seed needs CHAOS_MODE=true');
    expect(() => chaosConfigFrom(env({ CHAOS_BUILD: 'mutant:no-repair-sweep' }))).toThrow(/needs CHAOS_MODE=true/);
    expect(chaosConfigFrom(env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed' })).build).toEqual({ kind: 'seed' });
  });

  it('refuses an adversary under NODE_ENV=production, with or without chaos mode', () => {
    expect(() => chaosConfigFrom(env({ CHAOS_BUILD: 'seed', NODE_ENV: 'production' }))).toThrow(
      'CHAOS_BUILD=seed is refused under NODE_ENV=production',
    );
    expect(() => chaosConfigFrom(env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed', NODE_ENV: 'production' }))).toThrow(/refused/);
    expect(chaosConfigFrom(env({ NODE_ENV: 'production' })).build).toEqual({ kind: 'real' });
  });
});

describe('loadAdversary (the seam the apps call)', () => {
  it('gives no adversary for the real build, and the named one in chaos mode', async () => {
    await expect(loadAdversary(env({}))).resolves.toBe(NO_ADVERSARY);
    await expect(loadAdversary(env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed' }))).resolves.toMatchObject({
      label: 'seed',
      repairSweep: false,
    });
    await expect(loadAdversary(env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'mutant:no-repair-sweep' }))).resolves.toMatchObject({
      label: 'mutant:no-repair-sweep',
    });
  });

  it('fails the instance for an unknown mutant or a refused build', async () => {
    await expect(loadAdversary(env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'mutant:no-such' }))).rejects.toThrow(/unknown mutant "no-such"/);
    await expect(loadAdversary(env({ CHAOS_BUILD: 'seed' }))).rejects.toThrow(/needs CHAOS_MODE/);
  });

  it('fails clearly where the adversaries plugin is absent (as in the release artifact)', async () => {
    const missing = env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed', CHAOS_ADVERSARIES_PLUGIN: join(__dirname, 'no-such-plugin') });
    await expect(loadAdversary(missing)).rejects.toThrow(
      /CHAOS_BUILD=seed needs the adversaries plugin \(libs\/adversaries\), not loadable from/,
    );
    const notAPlugin = env({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed', CHAOS_ADVERSARIES_PLUGIN: join(__dirname, 'chaos-config') });
    await expect(loadAdversary(notAPlugin)).rejects.toThrow(/is not the adversaries plugin/);
  });
});
