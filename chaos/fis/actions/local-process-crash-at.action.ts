import { apiFaultAction } from './api-fault-action';
import { enumParameter, numberParameter, operationsParameter } from './parameters';

/**
 * Local extension: the instance process dies (SIGKILL, no cleanup) right before a call is sent,
 * or right after the service applied it — e.g. after the API's UpdateItem and before its
 * SendMessage, leaving an uploaded image with no message (the repair sweep's job).
 * Either `percentage` of matching calls, or only the `nth` matching call of each process.
 */
export const localProcessCrashAt = apiFaultAction({
  id: 'local:process:crash-at',
  description: 'Local extension. The instance crashes right before or right after the given operation (SIGKILL; the fleet replaces it).',
  commonParameters: {
    operations: { ...operationsParameter(false), required: false },
    percentage: numberParameter('Percentage of matching calls that crash (1-100); give this or nth.', 1, 100, false),
  },
  extraParameters: {
    operation: {
      ...operationsParameter(false),
      description: 'The operation to crash at, e.g. UpdateItem (alias of operations).',
      required: false,
    },
    when: enumParameter('Crash before the call is sent, or after the service applied it.', ['before', 'after']),
    nth: numberParameter('Crash at the Nth matching call of each process (1-based); give this or percentage.', 1, 1_000_000, false),
  },
  validate: (p) => [
    ...(p.operation === undefined && p.operations === undefined ? ['give the operation to crash at (operation or operations)'] : []),
    ...(p.percentage === undefined && p.nth === undefined ? ['give either percentage or nth'] : []),
    ...(p.percentage !== undefined && p.nth !== undefined ? ['give either percentage or nth, not both'] : []),
  ],
  operations: (p) =>
    (p.operation ?? p.operations)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  selection: (p) => (p.nth !== undefined ? { percentage: 100, nth: Number(p.nth) } : { percentage: Number(p.percentage) }),
  fault: (p) => ({ kind: 'crash', when: p.when as 'before' | 'after' }),
});
