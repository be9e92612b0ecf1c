import { HttpResponse } from '@smithy/core/protocols';
import { Readable } from 'node:stream';
import { AwsService } from '../aws-clients';

export type InjectedError = 'internal-error' | 'unavailable' | 'throttle';

/** What each service really answers, so the SDK parses (and retries) an injected error as a real one. */
const SHAPES: Record<AwsService, Record<InjectedError, { status: number; code: string }>> = {
  dynamodb: {
    'internal-error': { status: 500, code: 'InternalServerError' },
    unavailable: { status: 503, code: 'ServiceUnavailable' },
    throttle: { status: 400, code: 'ThrottlingException' },
  },
  sqs: {
    'internal-error': { status: 500, code: 'InternalError' },
    unavailable: { status: 503, code: 'ServiceUnavailable' },
    throttle: { status: 400, code: 'RequestThrottled' },
  },
  s3: {
    'internal-error': { status: 500, code: 'InternalError' },
    unavailable: { status: 503, code: 'ServiceUnavailable' },
    throttle: { status: 503, code: 'SlowDown' },
  },
};

const JSON_NAMESPACE: Record<Exclude<AwsService, 's3'>, string> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
  sqs: 'com.amazonaws.sqs',
};

export function awsErrorResponse(service: AwsService, error: InjectedError, requestId: string): HttpResponse {
  const { status, code } = SHAPES[service][error];
  const message = `injected fault: ${error}`;
  if (service === 's3') {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
    return response(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, xml);
  }
  const body = JSON.stringify({ __type: `${JSON_NAMESPACE[service]}#${code}`, message });
  return response(
    status,
    { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${code};Sender` },
    body,
  );
}

function response(statusCode: number, headers: Record<string, string>, body: string): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    body: Readable.from([Buffer.from(body)]),
  });
}
