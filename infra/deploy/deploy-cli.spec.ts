import { createServer, type Server, type Socket } from 'node:net';
import { isolatedEnv, runCommand } from '@imagery/testing/infra/run-command';

/** `npm run deploy` / `npm run destroy` refuse clearly, and quickly, when AWS is not set up. */
describe('deploy and destroy without an AWS setup', () => {
  it.each(['deploy', 'destroy'] as const)('%s without a region says how to set one, exit 1', async (command) => {
    const { code, stderr, stdout, ms } = await runCommand(command, [], isolatedEnv());
    expect(stderr).toMatch(new RegExp(`^${command}: no AWS region: set AWS_REGION`));
    expect(stdout).toBe('');
    expect(code).toBe(1);
    expect(ms).toBeLessThan(10_000);
  });

  it.each(['deploy', 'destroy'] as const)('%s without credentials lists the ways to provide them, exit 1', async (command) => {
    const { code, stderr, stdout } = await runCommand(command, ['--stack', 'imagery'], isolatedEnv({ AWS_REGION: 'us-east-1' }));
    expect(stderr).toContain(`${command}: no AWS credentials`);
    expect(stderr).toMatch(/AWS_PROFILE=.*aws configure.*aws sso login/);
    expect(stderr).toContain('AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY');
    expect(stdout).toBe('');
    expect(code).toBe(1);
  });

  it('AWS_DEFAULT_REGION counts as a region (as for the AWS CLI)', async () => {
    const { code, stderr } = await runCommand('deploy', [], isolatedEnv({ AWS_DEFAULT_REGION: 'eu-west-1' }));
    expect(stderr).toContain('no AWS credentials');
    expect(code).toBe(1);
  });

  it('a bad option prints the usage, exit 1', async () => {
    const { code, stderr } = await runCommand('deploy', ['--stak', 'x'], isolatedEnv());
    expect(stderr).toMatch(/Unknown option '--stak'/);
    expect(stderr).toContain('usage: npm run deploy -- [--stack NAME]');
    expect(code).toBe(1);
  });

  it('a bad stack name, --parameter or option mix is refused before looking for AWS', async () => {
    const name = await runCommand('deploy', ['--stack', '9lives'], isolatedEnv());
    expect(name.stderr).toMatch(/^deploy: stack name "9lives": a letter/);
    const parameter = await runCommand('deploy', ['--parameter', 'InstanceType'], isolatedEnv());
    expect(parameter.stderr).toMatch(/^deploy: --parameter InstanceType: expected Key=Value/);
    const artifact = await runCommand('deploy', ['--data-only', '--artifact', 'release.tgz'], isolatedEnv());
    expect(artifact.stderr).toMatch(/^deploy: --artifact is for the platform/);
    expect([name.code, parameter.code, artifact.code]).toEqual([1, 1, 1]);
  });
});

describe('deploy without an AWS setup, with an instance metadata service that never answers', () => {
  let server: Server;
  let endpoint: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => void sockets.add(socket)); // accepts connections, never responds
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => server.close(resolve));
  });

  it('still refuses within seconds instead of hanging', async () => {
    const env = isolatedEnv({ AWS_REGION: 'us-east-1', AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint });
    delete (env as Record<string, string | undefined>).AWS_EC2_METADATA_DISABLED;
    const { code, stderr, ms } = await runCommand('deploy', [], env);
    expect(stderr).toContain('no AWS credentials');
    expect(code).toBe(1);
    expect(ms).toBeLessThan(12_000);
  });
});
