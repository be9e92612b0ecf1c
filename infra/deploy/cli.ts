import { DeployError } from '@imagery/cfn-deploy/deploy-error';

/** Stack names become bucket name prefixes and get "-artifacts" appended: keep them short and plain. */
export function checkStackName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,49}$/.test(name)) {
    throw new DeployError(`stack name "${name}": a letter, then up to 49 letters, digits or hyphens`);
  }
  return name;
}

export const artifactsStackName = (stackName: string): string => `${stackName}-artifacts`;

export const log = (line: string): void => console.log(line);

/**
 * Runs a command's main: a DeployError (something the user can fix) or an AWS error prints as one
 * message, a bad option prints the usage, anything else its stack; all exit non-zero.
 */
export function runCli(name: string, usage: string, main: (argv: string[]) => Promise<void>): void {
  // The SDK warns on every client that its 2027 releases need Node 22; this project pins one that runs on 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof DeployError) console.error(`${name}: ${error.message}`);
      else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
        console.error(`${name}: ${(error as Error).message}\n\n${usage}`);
      // an AWS service's answer (e.g. AccessDenied, a stack busy with another operation) says enough
      else if ((error as { $metadata?: unknown }).$metadata)
        console.error(`${name}: AWS said ${(error as Error).name}: ${(error as Error).message}`);
      else console.error(`${name} failed:`, error);
      process.exit(1);
    },
  );
}
