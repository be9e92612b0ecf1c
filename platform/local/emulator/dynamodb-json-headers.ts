/**
 * The headers of one DynamoDB JSON 1.0 call sent by hand, as the SDK sends it but unsigned: moto reads
 * the region from the credential scope and checks no signature. For raw requests to the emulator
 * (the differential spec, the bench's plain-HTTP baseline), never for AWS.
 */
export function dynamodbJsonHeaders(action: string, region: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${action}`,
    authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
  };
}
