/**
 * What must never reach a log line: credentials, authorization headers and the signing parts of
 * presigned URLs (anyone holding a full presigned URL can read the object until it expires).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-amz-security-token"]',
  'res.headers["set-cookie"]',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.password',
  'credentials',
  '*.credentials',
];

const SIGNED_QUERY = /([?&](?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId))=[^&\s"']*/gi;
const SECRET_IN_TEXT = /(aws_secret_access_key|secretAccessKey|sessionToken)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

/** Replaces presigned-URL signatures and inline secrets in free text with `[REDACTED]`. */
export function redactText(text: string): string {
  return text.replace(SIGNED_QUERY, '$1=[REDACTED]').replace(SECRET_IN_TEXT, '$1$2[REDACTED]');
}
