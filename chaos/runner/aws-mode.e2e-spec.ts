import { isolatedEnv } from '@imagery/testing/infra/run-command';
import { runChaosCli } from '@imagery/testing/chaos/run-chaos-cli';
import { GLOBAL_STACK_NAME, emulatorEndpoint } from '@imagery/testing/platform/local-aws';

/** `npm run chaos -- --aws` without an account: it must refuse clearly, fast, before any load. */
const chaos = (args: string[], env: Record<string, string>) => runChaosCli(args, { env, short: false });

describe('npm run chaos -- --aws', () => {
  it('without a region or credentials: a clear message and exit 2', async () => {
    const noRegion = await chaos(['--aws', 'kill-api'], isolatedEnv());
    expect(noRegion.code).toBe(2);
    expect(noRegion.output).toMatch(/no AWS region/);
    const noCredentials = await chaos(['--aws', 'kill-api'], isolatedEnv({ AWS_REGION: 'us-east-1' }));
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.output).toMatch(/no AWS credentials/);
  });

  it('refuses an adversary build, a missing stack, and a data-only stack', async () => {
    const aws = isolatedEnv({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: emulatorEndpoint(),
    });
    expect((await chaos(['--aws', '--build', 'seed', 'kill-api'], aws)).output).toMatch(/cannot run with --aws/);
    const missing = await chaos(['--aws', '--stack', 'nope', 'kill-api'], aws);
    expect(missing.output).toMatch(/no stack nope/);
    const dataOnly = await chaos(['--aws', '--stack', GLOBAL_STACK_NAME, 'kill-api'], aws);
    expect(dataOnly.code).toBe(2);
    expect(dataOnly.output).toMatch(/has no EndpointURL/);
  });
});
