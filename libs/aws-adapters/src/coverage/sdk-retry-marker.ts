import { reached } from '@imagery/domain';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

/**
 * Marks `sdk-retry-succeeded` when a call answered after more than one attempt: the SDK's retry
 * middleware (finalize step) records its attempts in the output's $metadata, which this reads
 * at the outermost step, once per call. A call whose retries all failed throws past it unmarked.
 */
export function markSdkRetries<I extends object, O extends MetadataBearer>(
  client: { readonly middlewareStack: MiddlewareStack<I, O> },
  /** The service's name (`dynamodb`, `s3`, `sqs`), the reach's detail. */
  service: string,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      if ((result.output.$metadata?.attempts ?? 1) > 1) reached('sdk-retry-succeeded', service);
      return result;
    },
    { step: 'initialize', name: 'markSdkRetries' },
  );
}
