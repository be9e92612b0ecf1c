import { IMAGE_ID_PATTERN } from '@imagery/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './image-view';

/** The error codes a route can answer with, by status: the OpenAPI document lists exactly these. */
export type ErrorCodes = Partial<Record<400 | 404 | 409 | 413 | 415 | 422 | 429 | 503, readonly string[]>>;

const MEANING: Record<number, string> = {
  400: 'Malformed request',
  404: 'No such image',
  409: "Not allowed in the image's state",
  413: 'Too large',
  415: 'Unsupported media',
  422: 'Not a usable image',
  429: 'Rate limit of this client exceeded; see Retry-After',
  503: 'Temporarily unable; retry the same request (see Retry-After)',
};

/** Every route is rate limited and may meet a dependency outage. */
const ALWAYS: ErrorCodes = { 429: ['too_many_requests'], 503: ['dependency_unavailable', 'version_conflict'] };

export function ApiErrors(codes: ErrorCodes): MethodDecorator {
  const all = { ...codes };
  for (const [status, list] of Object.entries(ALWAYS)) {
    const key = Number(status) as keyof ErrorCodes;
    all[key] = [...new Set([...(all[key] ?? []), ...(list ?? [])])];
  }
  return applyDecorators(
    ...Object.entries(all).map(([status, list]) =>
      ApiResponse({
        status: Number(status),
        type: ErrorBody,
        description: `${MEANING[Number(status)]}: \`error\` is ${list.map((c) => `\`${c}\``).join(' or ')}`,
        ...(Number(status) === 429 || Number(status) === 503
          ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
}

/** The `:id` path parameter: a UUID. */
export const ApiImageId = (): MethodDecorator =>
  applyDecorators(
    ApiParam({
      name: 'id',
      description: 'The image process id: a UUID (any letter case; stored lower case)',
      schema: { type: 'string', format: 'uuid', pattern: IMAGE_ID_PATTERN },
    }),
  );

export const ApiRequestId = (): MethodDecorator =>
  ApiHeader({
    name: 'x-request-id',
    required: false,
    description:
      'Your id for this request (up to 128 of A-Z a-z 0-9 . _ : @ / + = -); echoed back and carried into the logs and the worker',
  });
