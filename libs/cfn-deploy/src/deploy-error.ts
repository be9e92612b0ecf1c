/** A problem the user can fix: printed as is, without a stack trace. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
}
