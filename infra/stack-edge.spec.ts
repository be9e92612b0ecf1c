import type { CfnTemplate } from '@imagery/cfn-deploy/cfn-yaml';
import { data, loadTemplate, ofType, props, ref, resources, root } from '@imagery/testing/infra/parsed-templates';
import { at, list, num, record, text } from '@imagery/testing/infra/template-values';

/**
 * The stack's edge as a security review reads it: HTTPS when a certificate is given (port 80 then
 * only redirects), operational routes unreachable from the internet, a rate limit per client,
 * TLS-only buckets, access logs, and alarms that notify someone. Checked on the parsed templates,
 * with the conditions evaluated for both choices of the operator.
 */

/** The template's value with Fn::If / Condition resolved for the given condition values. */
function resolveIfs(value: unknown, conditions: Record<string, boolean>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIfs(v, conditions)).filter((v) => v !== NO_VALUE);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Fn::If' in record) {
      const [name, whenTrue, whenFalse] = record['Fn::If'] as [string, unknown, unknown];
      if (!(name in conditions)) throw new Error(`condition ${name} not given`);
      return resolveIfs(conditions[name] ? whenTrue : whenFalse, conditions);
    }
    if (record.Ref === 'AWS::NoValue') return NO_VALUE;
    return Object.fromEntries(
      Object.entries(record)
        .map(([k, v]) => [k, resolveIfs(v, conditions)])
        .filter(([, v]) => v !== NO_VALUE),
    );
  }
  return value;
}
const NO_VALUE = Symbol('AWS::NoValue');

interface RenderedResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** The resources CloudFormation creates for the given conditions, Fn::If resolved. */
function rendered(conditions: Record<string, boolean>, template: CfnTemplate = root): Record<string, RenderedResource> {
  const out: Record<string, RenderedResource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const condition = resource.Condition as string | undefined;
    if (condition && !conditions[condition]) continue;
    out[id] = { Type: resource.Type, Properties: record(resolveIfs(resource.Properties ?? {}, conditions)) };
  }
  return out;
}

const withCertificate = { HasCertificate: true, CreateAlarmTopic: true, SubscribeAlarmEmail: false, ElbAccountRegion: true };
const withoutCertificate = { HasCertificate: false, CreateAlarmTopic: true, SubscribeAlarmEmail: false, ElbAccountRegion: true };

describe('HTTPS when a certificate is given', () => {
  it('the certificate is an optional parameter, and HasCertificate means "given"', () => {
    expect(root.Parameters!.CertificateArn).toMatchObject({ Type: 'String', Default: '' });
    expect(at(root.Conditions, 'HasCertificate')).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [ref('CertificateArn'), ''] }] });
  });

  it('with one: HTTPS on 443 with a TLS 1.2+ policy forwards, port 80 only redirects to it (301)', () => {
    const stack = rendered(withCertificate);
    expect(stack.HttpsListener.Properties).toMatchObject({
      Protocol: 'HTTPS',
      Port: 443,
      Certificates: [{ CertificateArn: ref('CertificateArn') }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('ApiTargetGroup') }],
    });
    expect(text(stack.HttpsListener.Properties, 'SslPolicy')).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
    expect(stack.HttpListener.Properties.DefaultActions).toEqual([
      {
        Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
      },
    ]);
    expect(stack.LoadBalancerHttpsIngress.Properties).toMatchObject({ FromPort: 443, ToPort: 443, CidrIp: ref('AllowedIngressCidr') });
  });

  it('without: no HTTPS listener, port 80 forwards', () => {
    const stack = rendered(withoutCertificate);
    expect(stack.HttpsListener).toBeUndefined();
    expect(stack.LoadBalancerHttpsIngress).toBeUndefined();
    expect(stack.HttpListener.Properties.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: ref('ApiTargetGroup') }]);
  });

  it('every listener that forwards to the API is the one the operational-route rules sit on', () => {
    for (const conditions of [withCertificate, withoutCertificate]) {
      const stack = rendered(conditions);
      const forwarding = Object.entries(stack)
        .filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener')
        .filter(([, r]) => list(r.Properties, 'DefaultActions').some((a) => at(a, 'Type') === 'forward'))
        .map(([id]) => ref(id));
      expect(forwarding).toHaveLength(1);
      for (const rule of ['OpsRoutesNotPublic', 'DeepHealthNotPublic']) expect(stack[rule].Properties.ListenerArn).toEqual(forwarding[0]);
    }
  });
});

// What a client may send, and whether it must reach an instance.
const PUBLIC = [
  '/',
  '/index.html',
  '/image',
  '/image/3f1c2b8e-1d2a-4c1e-9a3b-2f7d9c1e4b5a',
  '/image/3f1c2b8e-1d2a-4c1e-9a3b-2f7d9c1e4b5a/upload',
  '/health/ready',
  '/health/live',
];
const OPERATIONAL = ['/metrics', '/metrics/', '/docs', '/docs/', '/docs/swagger-ui.css', '/docs-json', '/health', '/health/'];
// Spellings the listener's case-sensitive patterns miss but Express (case-insensitive, decoding) would route.
const DISGUISED = ['/METRICS', '/Metrics', '/%6detrics', '/Docs-Json', '/DOCS/', '//metrics', '/./health', '/Health', '/image/../metrics'];

/** ALB path-pattern semantics: case-sensitive, `*` any run of characters, `?` one character. */
const albMatches = (pattern: string, path: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

function listenerBlocks(path: string): boolean {
  return ['OpsRoutesNotPublic', 'DeepHealthNotPublic'].some((id) =>
    list(props(id), 'Conditions').every(
      (c) => at(c, 'Field') === 'path-pattern' && list(c, 'PathPatternConfig', 'Values').some((p) => albMatches(text(p), path)),
    ),
  );
}

/** AWS WAF's text transformations used by the web ACL. */
const TRANSFORM: Record<string, (s: string) => string> = {
  URL_DECODE: (s) => decodeURIComponent(s),
  LOWERCASE: (s) => s.toLowerCase(),
  // multiple slashes, self-references and back-references removed
  NORMALIZE_PATH: (s) => {
    const out: string[] = [];
    for (const segment of s.replace(/\/{2,}/g, '/').split('/')) {
      if (segment === '.') continue;
      if (segment === '..') out.pop();
      else out.push(segment);
    }
    const joined = out.join('/');
    return joined.startsWith('/') ? joined : `/${joined}`;
  },
};

function wafStatementMatches(statement: unknown, path: string): boolean {
  if (at(statement, 'OrStatement')) return list(statement, 'OrStatement', 'Statements').some((s) => wafStatementMatches(s, path));
  const inner = at(statement, 'ByteMatchStatement') ?? at(statement, 'RegexMatchStatement');
  if (!inner) throw new Error(`statement not modelled here: ${Object.keys(record(statement)).join(', ')}`);
  expect(at(inner, 'FieldToMatch')).toEqual({ UriPath: {} });
  const transformed = list(inner, 'TextTransformations')
    .map((t) => ({ priority: num(t, 'Priority'), transform: TRANSFORM[text(t, 'Type')] }))
    .sort((a, b) => a.priority - b.priority)
    .reduce((s, t) => t.transform(s), path);
  if (at(statement, 'RegexMatchStatement')) return new RegExp(text(inner, 'RegexString')).test(transformed);
  expect(at(inner, 'PositionalConstraint')).toBe('STARTS_WITH');
  return transformed.startsWith(text(inner, 'SearchString'));
}

const webAclRule = (name: string): unknown => list(props('WebAcl'), 'Rules').find((r) => at(r, 'Name') === name);
const wafBlocks = (path: string) => wafStatementMatches(at(webAclRule('ops-routes-not-public'), 'Statement'), path);

describe('operational routes are not reachable through the public listener', () => {
  it.each(OPERATIONAL)('the listener answers %s itself (404), before any instance', (path) => {
    expect(listenerBlocks(path)).toBe(true);
    expect(at(props('OpsRoutesNotPublic'), 'Actions', 0)).toMatchObject({
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '404' },
    });
  });

  it.each(PUBLIC)('%s still reaches the API (listener and web ACL)', (path) => {
    expect(listenerBlocks(path)).toBe(false);
    expect(wafBlocks(path)).toBe(false);
  });

  it.each([...OPERATIONAL, ...DISGUISED])('the web ACL blocks %s (404), whatever the case or encoding', (path) => {
    expect(wafBlocks(path)).toBe(true);
  });

  it('the disguised spellings do get past the listener rules alone (why the web ACL rule exists)', () => {
    expect(DISGUISED.filter((path) => !listenerBlocks(path)).length).toBeGreaterThan(5);
    expect(webAclRule('ops-routes-not-public')).toMatchObject({
      Priority: 0,
      Action: { Block: { CustomResponse: { ResponseCode: 404 } } },
    });
  });

  it('the load balancer forwards only to the API port; nothing else of an instance is open to it', () => {
    expect(ofType('AWS::ElasticLoadBalancingV2::TargetGroup').map(([, r]) => r.Properties!.Port)).toEqual([8080]);
    const fromTheLoadBalancer: unknown = expect.objectContaining({
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: ref('LoadBalancerSecurityGroup'),
    });
    expect(props('ApiSecurityGroup').SecurityGroupIngress).toEqual([fromTheLoadBalancer]);
  });
});

describe('a rate limit per client at the edge', () => {
  it('AWS WAF counts requests per client IP over a minute and answers 429 with Retry-After above the limit', () => {
    const rule = webAclRule('rate-limit-per-client');
    expect(at(rule, 'Statement', 'RateBasedStatement')).toEqual({
      Limit: ref('RateLimitPerMinute'),
      EvaluationWindowSec: 60,
      AggregateKeyType: 'IP',
    });
    expect(at(rule, 'Action', 'Block', 'CustomResponse')).toMatchObject({
      ResponseCode: 429,
      ResponseHeaders: [{ Name: 'retry-after', Value: '60' }],
    });
    expect(root.Parameters!.RateLimitPerMinute).toMatchObject({ Type: 'Number', MinValue: 10 });
  });

  it('the web ACL guards the load balancer, and what it blocks is logged', () => {
    expect(props('WebAcl').Scope).toBe('REGIONAL');
    expect(props('WebAclAssociation')).toEqual({ ResourceArn: ref('LoadBalancer'), WebACLArn: { 'Fn::GetAtt': ['WebAcl', 'Arn'] } });
    expect(props('WebAclLogging').ResourceArn).toEqual({ 'Fn::GetAtt': ['WebAcl', 'Arn'] });
    expect(at(props('WebAclLogGroup'), 'LogGroupName', 'Fn::Sub')).toMatch(/^aws-waf-logs-/); // WAF's naming rule
  });
});

/** Every bucket of every template, with the policy attached to it. */
function bucketsWithPolicies(): Array<{ template: string; bucket: string; policy: unknown; properties: Record<string, unknown> }> {
  return ['data.yaml', 'template.yaml', 'artifacts.yaml'].flatMap((name) => {
    const template = loadTemplate(name);
    const policies = ofType('AWS::S3::BucketPolicy', template).map(([, r]) => r.Properties ?? {});
    return ofType('AWS::S3::Bucket', template).map(([bucket]) => ({
      template: name,
      bucket,
      properties: props(bucket, template),
      policy: policies.find((p) => JSON.stringify(p.Bucket) === JSON.stringify(ref(bucket)))?.PolicyDocument,
    }));
  });
}

describe('buckets', () => {
  it.each(bucketsWithPolicies().map((b) => [`${b.template} ${b.bucket}`, b]))(
    '%s refuses every request not over TLS',
    (_, { bucket, policy }) => {
      const deny = list(policy, 'Statement').find((s) => at(s, 'Effect') === 'Deny');
      expect(deny).toMatchObject({ Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      expect(JSON.stringify(at(deny, 'Resource'))).toContain(`"${bucket}","Arn"`);
      expect(JSON.stringify(at(deny, 'Resource'))).toContain(`\${${bucket}.Arn}/*`);
    },
  );

  it.each(bucketsWithPolicies().map((b) => [`${b.template} ${b.bucket}`, b]))(
    '%s aborts incomplete multipart uploads and blocks public access',
    (_, { properties }) => {
      const abortsAfterADay: unknown = expect.objectContaining({
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      });
      expect(list(properties, 'LifecycleConfiguration', 'Rules')).toContainEqual(abortsAfterADay);
      expect(Object.values(record(properties, 'PublicAccessBlockConfiguration'))).toEqual([true, true, true, true]);
    },
  );
});

/** A condition of the template evaluated for a region (Fn::Or / Fn::Equals on AWS::Region only). */
function holdsIn(condition: unknown, region: string): boolean {
  if (at(condition, 'Fn::Or')) return list(condition, 'Fn::Or').some((inner) => holdsIn(inner, region));
  if (at(condition, 'Fn::Equals'))
    return at(condition, 'Fn::Equals', 0, 'Ref') === 'AWS::Region' && at(condition, 'Fn::Equals', 1) === region;
  throw new Error(`condition not modelled here: ${JSON.stringify(condition)}`);
}

/** The log bucket's policy statements, with or without the ELB account's grant (regions before August 2022). */
const logPolicyIn = (elbAccountRegion: boolean) =>
  list(rendered({ ...withCertificate, ElbAccountRegion: elbAccountRegion }).LogBucketPolicy.Properties, 'PolicyDocument', 'Statement');

describe('access logs: S3 and the load balancer into the log bucket', () => {
  const logPolicy = logPolicyIn(true);
  const grant = (sid: string) => logPolicy.find((s) => at(s, 'Sid') === sid);

  it('the images bucket logs to the bucket the root passes, under s3-access/, which S3 may write', () => {
    expect(props('ImagesBucket', data).LoggingConfiguration).toEqual({
      'Fn::If': ['LogsAccess', { DestinationBucketName: ref('AccessLogBucketName'), LogFilePrefix: 's3-access/' }, ref('AWS::NoValue')],
    });
    expect(at(props('Data'), 'Parameters', 'AccessLogBucketName')).toEqual(ref('LogBucket'));
    expect(grant('S3ServerAccessLogs')).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Sub': '${LogBucket.Arn}/s3-access/*' },
      Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
    });
    expect(resources.Data.DependsOn).toBe('LogBucketPolicy');
  });

  it('the load balancer logs under alb/, which Elastic Load Balancing may write in every region', () => {
    const attributes = Object.fromEntries(
      list(props('LoadBalancer'), 'LoadBalancerAttributes').map((a) => [text(a, 'Key'), at(a, 'Value')] as const),
    );
    expect(attributes).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': ref('LogBucket'),
      'access_logs.s3.prefix': 'alb',
    });
    const where = { 'Fn::Sub': '${LogBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*' };
    expect(grant('LoadBalancerAccessLogs')).toMatchObject({
      Principal: { AWS: { 'Fn::FindInMap': ['ElbLogDelivery', ref('AWS::Region'), 'Principal'] } },
      Resource: where,
    });
    expect(grant('LoadBalancerAccessLogsNewRegions')).toMatchObject({
      Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
      Resource: where,
    });
    expect(resources.LoadBalancer.DependsOn).toBe('LogBucketPolicy');
  });
});

describe('the log bucket', () => {
  it('the ELB account is granted exactly in the regions the map knows; elsewhere (no map entry) only the service principal', () => {
    const mapped = Object.keys(record(root.Mappings, 'ElbLogDelivery'));
    const condition = at(root.Conditions, 'ElbAccountRegion');
    expect(mapped.length).toBeGreaterThan(20);
    for (const region of mapped) expect(holdsIn(condition, region)).toBe(true);
    for (const newer of ['ca-west-1', 'il-central-1', 'ap-southeast-4', 'mx-central-1']) expect(holdsIn(condition, newer)).toBe(false);
    const sids = (statements: unknown[]) => statements.map((s) => at(s, 'Sid'));
    expect(sids(logPolicyIn(false))).not.toContain('LoadBalancerAccessLogs');
    expect(sids(logPolicyIn(false))).toContain('LoadBalancerAccessLogsNewRegions');
  });

  it('the log bucket: SSE-S3 (all ELB log delivery supports), owner-enforced, expires logs after LogRetentionDays', () => {
    const bucket = props('LogBucket');
    expect(at(bucket, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'ServerSideEncryptionByDefault')).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(at(bucket, 'OwnershipControls', 'Rules')).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(at(bucket, 'LifecycleConfiguration', 'Rules')).toContainEqual({
      Id: 'expire-logs',
      Status: 'Enabled',
      ExpirationInDays: ref('LogRetentionDays'),
    });
    expect(root.Outputs!.LogBucketName.Value).toEqual(ref('LogBucket'));
  });
});

describe('alarms notify someone', () => {
  const topic = { 'Fn::If': ['CreateAlarmTopic', ref('AlarmTopic'), ref('AlarmTopicArn')] };

  it.each(ofType('AWS::CloudWatch::Alarm').map(([id]) => id))('%s notifies the topic when it fires and when it clears', (id) => {
    expect(props(id).AlarmActions).toEqual([topic]);
    expect(props(id).OKActions).toEqual([topic]);
  });

  it('the topic is the one given, or one the stack creates (which CloudWatch of this account may publish to)', () => {
    expect(root.Parameters!.AlarmTopicArn).toMatchObject({ Default: '' });
    expect(resources.AlarmTopic.Condition).toBe('CreateAlarmTopic');
    expect(rendered({ ...withoutCertificate, CreateAlarmTopic: false }).AlarmTopic).toBeUndefined();
    const allow = list(props('AlarmTopicPolicy'), 'PolicyDocument', 'Statement').find((s) => at(s, 'Effect') === 'Allow');
    expect(allow).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref('AlarmTopic') });
  });

  it("an unhealthy API instance (failing the load balancer's check) raises an alarm", () => {
    expect(props('UnhealthyApiInstancesAlarm')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': ['ApiTargetGroup', 'TargetGroupFullName'] } },
        { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': ['LoadBalancer', 'LoadBalancerFullName'] } },
      ],
    });
  });
});
