import { parseIsoDuration } from '../iso-duration';
import type { ParameterSpec } from './fis-action';

/** Parameter specs shared by the actions, each with the check template validation runs. */
export const durationParameter = (description: string, required = true): ParameterSpec => ({
  description: `${description} ISO 8601 (e.g. PT30S, PT2M).`,
  required,
  check: (v) => (parseIsoDuration(v) === undefined ? `"${v}" is not an ISO 8601 duration (e.g. PT30S, PT2M)` : undefined),
});

export const numberParameter = (description: string, min: number, max: number, required = true, integer = true): ParameterSpec => ({
  description,
  required,
  check: (v) => {
    const n = Number(v);
    const ok = v.trim() !== '' && Number.isFinite(n) && (!integer || Number.isInteger(n)) && n >= min && n <= max;
    return ok ? undefined : `"${v}" must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  },
});

export const enumParameter = (description: string, values: readonly string[], required = true): ParameterSpec => ({
  description: `${description} One of: ${values.join(', ')}.`,
  required,
  check: (v) => (values.includes(v) ? undefined : `"${v}" must be one of ${values.join(', ')}`),
});

export const LOCAL_API_SERVICES = ['dynamodb', 's3', 'sqs'] as const;
export type LocalApiService = (typeof LOCAL_API_SERVICES)[number];

/** AWS FIS allows only `ec2` here; locally the platform's own services are the ones worth breaking. */
export const serviceParameter = (): ParameterSpec => ({
  description: 'The AWS API namespace whose calls fail. Locally: dynamodb, s3 or sqs (AWS FIS itself allows ec2 only).',
  required: true,
  check: (v) =>
    (LOCAL_API_SERVICES as readonly string[]).includes(v)
      ? undefined
      : `service "${v}" is not supported locally; use one of ${LOCAL_API_SERVICES.join(', ')}`,
});

export const operationsParameter = (required = true): ParameterSpec => ({
  description: 'Comma-separated operation names, e.g. SendMessage or UpdateItem,PutItem.',
  required,
  check: (v) =>
    splitList(v).length > 0 && splitList(v).every((op) => /^[A-Za-z0-9]+$/.test(op))
      ? undefined
      : `"${v}" is not a comma-separated list of operation names`,
});

export const splitList = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
