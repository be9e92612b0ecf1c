import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { type AwsEnvironment } from './aws-environment';

/** The clients `npm run deploy` and `npm run destroy` use (the apps' own are @imagery/aws-adapters' AwsClients). */
export interface DeployClients {
  cfn: CloudFormationClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  destroy(): void;
}

/** Endpoints and credentials come the SDK's standard way (AWS_ENDPOINT_URL, the default chain). */
export function deployClients(aws: AwsEnvironment, env = process.env): DeployClients {
  const { region } = aws;
  const clients = {
    cfn: new CloudFormationClient({ region }),
    // moto and other emulators serve buckets under the path, not as virtual hosts
    s3: new S3Client({ region, forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true' }),
    dynamodb: new DynamoDBClient({ region }),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}
