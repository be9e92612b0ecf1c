import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { AwsClients } from './aws-clients';

export interface PlatformResources {
  readonly tableName: string;
  readonly bucket: string;
  readonly queueUrl: string;
}

/** One cheap read per dependency, for readiness checks; each rejects when unreachable. */
export function reachabilityChecks(clients: AwsClients, r: PlatformResources): Record<'dynamodb' | 's3' | 'sqs', () => Promise<void>> {
  return {
    dynamodb: async () => void (await clients.dynamodb.send(new DescribeTableCommand({ TableName: r.tableName }))),
    s3: async () => void (await clients.s3.send(new HeadBucketCommand({ Bucket: r.bucket }))),
    sqs: async () => void (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: r.queueUrl, AttributeNames: ['QueueArn'] }))),
  };
}
