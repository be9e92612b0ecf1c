import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { deployFreshStack } from './local-aws';
import { oneEndpoint } from '../../../platform/local/emulator/data-stack';
import { LocalControlPlane, LocalControlPlaneOptions, startLocalControlPlane } from '../../../platform/local/control-plane';

/** Tests spawn the built apps: `npm test` builds first; a bare `npx jest` needs `npm run build`. */
export function requireBuiltApps(): void {
  if (!existsSync(join(repoRoot(), 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first (npm test does)');
}

/** Fast worker settings for tests: short long-polls so a terminate does not wait on one. */
export const TEST_ROLE_ENV = { worker: { RECEIVE_WAIT_SECONDS: '1', REPAIR_INTERVAL_MS: '1000' } };

export interface TestControlPlane {
  readonly plane: LocalControlPlane;
  /** The fleet's lifecycle lines, for assertions and for a failing test's story. */
  readonly lines: string[];
}

/**
 * The whole local chaos topology (Toxiproxy, fleet, HAProxy) on free ports, on a fresh data stack
 * of the jest run's moto server, quiet.
 */
export async function startTestControlPlane(name: string, options: Partial<LocalControlPlaneOptions> = {}): Promise<TestControlPlane> {
  requireBuiltApps();
  const stack = await deployFreshStack(name);
  const lines: string[] = [];
  const plane = await startLocalControlPlane({
    host: '127.0.0.1',
    emulatorEndpoints: oneEndpoint(stack.endpoint),
    resources: stack.resources,
    replaceAfterMs: 500,
    roleEnv: TEST_ROLE_ENV,
    quiet: true,
    log: (line) => lines.push(line),
    ...options,
  });
  return { plane, lines };
}
