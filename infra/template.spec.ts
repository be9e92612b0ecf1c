import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApiConfig } from '../apps/api/src/config/api-config';
import { loadWorkerConfig } from '../apps/worker/src/config/worker-config';
import { repoRoot } from '@imagery/kernel/repo-root';
import { templateUrl } from './deploy/buckets';
import { arnOf, data, ofType, props, ref, resources, root, userData, userDataEnv } from '@imagery/testing/infra/parsed-templates';
import { at, list, num, record, text } from '@imagery/testing/infra/template-values';

/**
 * What infra/template.yaml promises, checked on the parsed template (cfn-lint checks it is valid
 * CloudFormation; no AWS account is needed here). The full stack cannot be deployed to the emulator
 * (moto has no FIS, and fails on Fn::Cidr), so its wiring to data.yaml and the apps is checked here.
 * The edge (HTTPS, logs, web ACL, alarm notifications) is infra/stack-edge.spec.ts, the instances'
 * runtime infra/instance-runtime.spec.ts, the FIS twins infra/fis-twins.spec.ts.
 */
describe('the root template nests data.yaml instead of repeating it', () => {
  it('has no data resource of its own (its only bucket holds access logs)', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue']) expect(ofType(type)).toEqual([]);
    expect(ofType('AWS::S3::Bucket').map(([id]) => id)).toEqual(['LogBucket']);
  });

  it('nests data.yaml from the artifact bucket, passing every one of its parameters with the same defaults', () => {
    expect(resources.Data.Type).toBe('AWS::CloudFormation::Stack');
    expect(props('Data').TemplateURL).toEqual({
      'Fn::Sub': 'https://${ArtifactBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/${DataTemplateKey}',
    });
    const { AccessLogBucketName, ...passed } = record(props('Data'), 'Parameters');
    expect(AccessLogBucketName).toEqual(ref('LogBucket')); // the root's log bucket, not a parameter of its own
    expect(Object.keys(passed).sort()).toEqual(
      Object.keys(data.Parameters!)
        .filter((p) => p !== 'AccessLogBucketName')
        .sort(),
    );
    for (const [name, value] of Object.entries(passed)) {
      expect(value).toEqual(ref(name));
      const { Description: _a, ...inRoot } = root.Parameters![name];
      const { Description: _b, ...inData } = data.Parameters![name];
      expect(inRoot).toEqual(inData);
    }
  });

  it('builds the nested template URL as the deploy script uploads it', () => {
    const values: Record<string, string> = {
      ArtifactBucket: 'b',
      'AWS::Region': 'eu-west-1',
      'AWS::URLSuffix': 'amazonaws.com',
      DataTemplateKey: 'templates/data-1.yaml',
    };
    const url = text(props('Data'), 'TemplateURL', 'Fn::Sub').replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name]);
    expect(url).toBe(templateUrl('b', 'eu-west-1', 'templates/data-1.yaml'));
  });

  it('reads only outputs data.yaml has', () => {
    const text = JSON.stringify(root);
    const used = new Set([...text.matchAll(/Data\.Outputs\.(\w+)/g), ...text.matchAll(/"Data","Outputs\.(\w+)"/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(4);
    for (const output of used) expect(Object.keys(data.Outputs!)).toContain(output);
  });

  it('outputs the endpoint and the data resources', () => {
    expect(Object.keys(root.Outputs!)).toEqual(expect.arrayContaining(['EndpointURL', 'BucketName', 'TableName', 'QueueUrl']));
    expect(root.Outputs!.EndpointURL.Value).toEqual({
      'Fn::If': ['HasCertificate', { 'Fn::Sub': 'https://${LoadBalancer.DNSName}' }, { 'Fn::Sub': 'http://${LoadBalancer.DNSName}' }],
    });
  });
});

describe('network over two availability zones', () => {
  const az = (id: string) => at(props(id), 'AvailabilityZone', 'Fn::Select', 0);

  it('has a public and a private subnet in each of two zones', () => {
    expect([az('PublicSubnetA'), az('PublicSubnetB'), az('PrivateSubnetA'), az('PrivateSubnetB')]).toEqual([0, 1, 0, 1]);
  });

  it('puts the load balancer in the public subnets and the instances in the private ones', () => {
    expect(props('LoadBalancer').Subnets).toEqual([ref('PublicSubnetA'), ref('PublicSubnetB')]);
    expect(props('LoadBalancer').Scheme).toBe('internet-facing');
    for (const group of ['ApiGroup', 'WorkerGroup']) {
      expect(props(group).VPCZoneIdentifier).toEqual([ref('PrivateSubnetA'), ref('PrivateSubnetB')]);
    }
  });

  it('gives the private subnets no internet route, but endpoints for every AWS service the instances call', () => {
    const routes = ofType('AWS::EC2::Route').map(([, r]) => r.Properties!.RouteTableId);
    expect(routes).toEqual([ref('PublicRouteTable')]);
    const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties ?? {});
    const service = (e: Record<string, unknown>) => text(e, 'ServiceName', 'Fn::Sub').split('.').pop();
    const gateways = endpoints.filter((e) => e.VpcEndpointType === 'Gateway');
    const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
    expect(gateways.map(service).sort()).toEqual(['dynamodb', 's3']);
    for (const e of gateways) expect(e.RouteTableIds).toEqual([ref('PrivateRouteTable')]);
    expect(interfaces.map(service).sort()).toEqual(['cloudformation', 'sqs']);
    for (const e of interfaces) {
      expect(e.SubnetIds).toEqual([ref('PrivateSubnetA'), ref('PrivateSubnetB')]); // one per zone: survives a zone
      expect(e.PrivateDnsEnabled).toBe(true); // the SDK's default endpoints resolve to them
    }
  });
});

describe('API and worker groups', () => {
  it('API: at least 2 instances, ELB health checks on /health/ready, rolling updates gated on signals', () => {
    expect(root.Parameters!.ApiMinSize).toMatchObject({ Default: 2, MinValue: 2 });
    expect(props('ApiGroup')).toMatchObject({
      MinSize: ref('ApiMinSize'),
      HealthCheckType: 'ELB',
      TargetGroupARNs: [ref('ApiTargetGroup')],
    });
    expect(props('ApiTargetGroup')).toMatchObject({ HealthCheckPath: '/health/ready', Port: 8080 });
    expect(resources.ApiGroup.UpdatePolicy).toMatchObject({
      AutoScalingRollingUpdate: { MinInstancesInService: ref('ApiMinSize'), MaxBatchSize: 1, WaitOnResourceSignals: true },
    });
    expect(resources.ApiGroup.CreationPolicy).toMatchObject({ ResourceSignal: { Count: ref('ApiMinSize') } });
  });

  it('worker: scales on the queue backlog per instance', () => {
    const policy = props('WorkerQueueScaling');
    expect(policy.AutoScalingGroupName).toEqual(ref('WorkerGroup'));
    const metrics = list(policy, 'TargetTrackingConfiguration', 'CustomizedMetricSpecification', 'Metrics');
    const names = metrics.map((m) => at(m, 'MetricStat', 'Metric', 'MetricName')).filter(Boolean);
    expect(names).toEqual(['ApproximateNumberOfMessagesVisible', 'GroupInServiceInstances']);
    expect(at(props('WorkerGroup'), 'MetricsCollection', 0, 'Metrics')).toContain('GroupInServiceInstances');
  });

  it('launch templates: current Amazon Linux 2023 from SSM, IMDSv2, Node 22, the release from the artifact bucket', () => {
    expect(root.Parameters!.LatestAmiId.Type).toBe('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
    expect(text(root.Parameters!.LatestAmiId, 'Default')).toMatch(/^\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-/);
    for (const id of ['ApiLaunchTemplate', 'WorkerLaunchTemplate']) {
      const spec = record(props(id), 'LaunchTemplateData');
      expect(spec.ImageId).toEqual(ref('LatestAmiId'));
      expect(at(spec, 'MetadataOptions', 'HttpTokens')).toBe('required');
      const script = userData(id);
      expect(script).toContain('dnf install -y nodejs22');
      expect(script).toContain('aws s3 cp --region ${AWS::Region} s3://${ArtifactBucket}/${ArtifactKey}');
      expect(script).toMatch(/signal SUCCESS\s*$/);
    }
  });

  it('each group drains before scale-in terminates an instance', () => {
    const hooks = ofType('AWS::AutoScaling::LifecycleHook').map(([, r]) => r.Properties ?? {});
    expect(hooks.map((h) => h.AutoScalingGroupName)).toEqual([ref('ApiGroup'), ref('WorkerGroup')]);
    for (const hook of hooks)
      expect(hook).toMatchObject({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'CONTINUE' });
  });
});

describe('instance configuration matches the apps', () => {
  it('the API env is valid API configuration, listening where the target group checks', () => {
    const config = loadApiConfig(userDataEnv('ApiLaunchTemplate', 'api'));
    expect(config).toMatchObject({ HOST: '0.0.0.0', PORT: props('ApiTargetGroup').Port });
    // readiness must fail long enough for the load balancer to notice before the server closes
    const tg = props('ApiTargetGroup');
    expect(config.DRAIN_DELAY_MS).toBeGreaterThanOrEqual(num(tg, 'HealthCheckIntervalSeconds') * num(tg, 'UnhealthyThresholdCount') * 1000);
    expect(userData('ApiLaunchTemplate')).toContain(`start.sh api http://127.0.0.1:${config.PORT}/health`);
    expect(at(props('ApiSecurityGroup'), 'SecurityGroupIngress', 0)).toMatchObject({
      FromPort: config.PORT,
      SourceSecurityGroupId: ref('LoadBalancerSecurityGroup'),
    });
  });

  it("the worker env is valid worker configuration, its visibility timeout the queue's", () => {
    const env = userDataEnv('WorkerLaunchTemplate', 'worker');
    const config = loadWorkerConfig(env);
    expect(config.WORKER_HTTP_PORT).toBeGreaterThan(0);
    expect(userData('WorkerLaunchTemplate')).toContain(`start.sh worker http://127.0.0.1:${config.WORKER_HTTP_PORT}/health`);
    expect(userData('WorkerLaunchTemplate')).toContain('VISIBILITY_TIMEOUT_SECONDS=${QueueVisibilityTimeout}');
  });

  it('every variable written is one the apps read (no typo goes unnoticed)', () => {
    const cases = [
      ['ApiLaunchTemplate', 'api', loadApiConfig],
      ['WorkerLaunchTemplate', 'worker', loadWorkerConfig],
    ] as const;
    for (const [id, role, load] of cases) {
      const env = userDataEnv(id, role);
      const read = Object.keys(load(env)); // the schema's keys (zod drops the others)
      // LOG_FORMAT is read by the apps' loggers, outside the validated configuration
      expect(Object.keys(env).filter((key) => !key.startsWith('AWS_') && !read.includes(key) && key !== 'LOG_FORMAT')).toEqual([]);
    }
  });
});

/** [action, resource] pairs of a role's inline policies, resources rendered as text. */
function permissions(roleId: string): string[] {
  return statements(roleId).flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    const resource = typeof s.Resource === 'string' ? s.Resource : JSON.stringify(s.Resource);
    return actionsOf(s).map((action) => `${action} ${resource}`);
  });
}

/** The statements of a role's inline policies. */
function statements(roleId: string): Record<string, unknown>[] {
  return list(props(roleId), 'Policies').flatMap((policy) => list(policy, 'PolicyDocument', 'Statement').map((s) => record(s)));
}

/** A statement's Action, one or a list, as a list. */
function actionsOf(statement: Record<string, unknown>): string[] {
  return [statement.Action].flat().map((action) => text(action));
}

describe('IAM: least privilege', () => {
  const table = 'table/${Data.Outputs.TableName}';
  const bucket = '${Data.Outputs.BucketName}';
  const queue = '{"Fn::GetAtt":["Data","Outputs.QueueArn"]}';
  const release = 'arn:${AWS::Partition}:s3:::${ArtifactBucket}/${ArtifactKey}';
  const mine = (text: string) =>
    text
      .replace(/"?\{"Fn::Sub":"([^"]*)"\}"?/g, '$1')
      .replace(/arn:\$\{AWS::Partition\}:dynamodb:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/, '');
  const expectPermissions = (roleId: string, expected: string[]) => expect(permissions(roleId).map(mine).sort()).toEqual(expected.sort());

  it('API: put/get/update items, write uploads, read processed images (presigning), send to the queue', () => {
    expectPermissions('ApiRole', [
      ...['GetItem', 'PutItem', 'UpdateItem', 'DescribeTable'].map((a) => `dynamodb:${a} ${table}`),
      ...['PutObject', 'AbortMultipartUpload'].map((a) => `s3:${a} arn:\${AWS::Partition}:s3:::${bucket}/upload/*`),
      `s3:GetObject arn:\${AWS::Partition}:s3:::${bucket}/processed/*`,
      `s3:ListBucket arn:\${AWS::Partition}:s3:::${bucket}`,
      ...['SendMessage', 'GetQueueAttributes'].map((a) => `sqs:${a} ${queue}`),
      `s3:GetObject ${release}`,
      'cloudformation:SignalResource {"Ref":"AWS::StackId"}',
    ]);
  });

  it('worker: consume (and re-enqueue) messages, read uploads, write processed images, get/update items, query the GSI', () => {
    expectPermissions('WorkerRole', [
      ...['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'SendMessage'].map(
        (a) => `sqs:${a} ${queue}`,
      ),
      ...['GetItem', 'UpdateItem', 'DescribeTable'].map((a) => `dynamodb:${a} ${table}`),
      `dynamodb:Query ${table}/index/\${Data.Outputs.TableStateIndexName}`,
      `s3:GetObject arn:\${AWS::Partition}:s3:::${bucket}/upload/*`,
      ...['PutObject', 'AbortMultipartUpload'].map((a) => `s3:${a} arn:\${AWS::Partition}:s3:::${bucket}/processed/*`),
      `s3:ListBucket arn:\${AWS::Partition}:s3:::${bucket}`,
      `s3:GetObject ${release}`,
      'cloudformation:SignalResource {"Ref":"AWS::StackId"}',
    ]);
  });
});

describe('IAM: wildcards', () => {
  it('no wildcard action anywhere, a wildcard resource only where AWS allows nothing else', () => {
    // actions without resource-level permissions (AWS's service authorization reference)
    const noResourceLevel = [
      'ec2:DescribeInstances',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeManagedPrefixLists',
      'autoscaling:DescribeAutoScalingGroups',
      'ec2:InjectApiError',
      'logs:CreateLogDelivery',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ];
    for (const [id] of ofType('AWS::IAM::Role')) {
      for (const line of permissions(id)) {
        const [action, resource] = line.split(' ');
        expect(action).not.toMatch(/\*/);
        if (resource === '*') expect([id, noResourceLevel.includes(action)]).toEqual(['FisRole', true]);
      }
    }
    // FIS may terminate, stop and start only this stack's instances, inject only capacity errors
    const about = (action: string) => statements('FisRole').filter((s) => actionsOf(s).includes(action));
    for (const action of ['ec2:TerminateInstances', 'ec2:StopInstances', 'ec2:StartInstances']) {
      expect(about(action).map((s) => s.Condition)).toEqual([{ StringEquals: { 'aws:ResourceTag/imagery:stack': ref('AWS::StackName') } }]);
    }
    expect(about('ec2:InjectApiError').map((s) => s.Condition)).toEqual([
      { 'ForAnyValue:StringEquals': { 'ec2:FisActionId': ['aws:ec2:asg-insufficient-instance-capacity-error'] } },
    ]);
    // network ACLs: only ones FIS creates (tagged managedByFIS) are changed or deleted
    for (const statement of [...about('ec2:CreateNetworkAclEntry'), ...about('ec2:DeleteNetworkAcl')]) {
      const resource = JSON.stringify(statement.Resource);
      if (resource.includes('network-acl/*'))
        expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
      else expect(resource).toContain('vpc/${Vpc}');
    }
  });
});

describe('alarms and FIS experiments', () => {
  // The stop conditions. UnhealthyApiInstancesAlarm is not one: stopping or killing instances makes
  // hosts unhealthy on purpose, and the experiment would stop at its first step.
  const alarms = ['DeadLetterQueueNotEmptyAlarm', 'OldestMessageAgeAlarm', 'LoadBalancer5xxAlarm'];

  it('alarms on a non-empty dead-letter queue, old messages, the 5xx rate and unhealthy API instances', () => {
    expect(
      ofType('AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...alarms, 'UnhealthyApiInstancesAlarm'].sort());
    expect(props('DeadLetterQueueNotEmptyAlarm')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    expect(JSON.stringify(props('DeadLetterQueueNotEmptyAlarm').Dimensions)).toContain('Data","Outputs.DeadLetterQueueArn');
    expect(props('OldestMessageAgeAlarm').MetricName).toBe('ApproximateAgeOfOldestMessage');
    const rate = list(props('LoadBalancer5xxAlarm'), 'Metrics').find((m) => at(m, 'ReturnData'));
    expect(at(rate, 'Expression')).toMatch(/elb5xx.*target5xx.*\/ requests/);
  });

  it.each([
    ['KillApiExperiment', 'ApiGroup', 'api'],
    ['KillWorkerExperiment', 'WorkerGroup', 'worker'],
  ])('%s terminates one running instance of %s, found by its tags, stopped by every alarm', (id, group, role) => {
    const experiment = props(id);
    const target: unknown = Object.values(record(experiment, 'Targets'))[0];
    expect(target).toMatchObject({ ResourceType: 'aws:ec2:instance', SelectionMode: 'COUNT(1)' });
    const propagated = Object.fromEntries(
      list(props(group), 'Tags')
        .filter((t) => at(t, 'PropagateAtLaunch'))
        .map((t) => [text(t, 'Key'), at(t, 'Value')] as const),
    );
    expect(at(target, 'ResourceTags')).toEqual({ Role: role, 'imagery:stack': ref('AWS::StackName') });
    expect(propagated).toMatchObject(record(target, 'ResourceTags'));
    // the same target and action names as the local twin, chaos/experiments/kill-<role>.json
    const twin: unknown = JSON.parse(readFileSync(join(repoRoot(), 'chaos', 'experiments', `kill-${role}.json`), 'utf8'));
    expect(Object.keys(record(experiment, 'Targets'))).toEqual(Object.keys(record(twin, 'targets')));
    expect(Object.keys(record(experiment, 'Actions'))).toEqual(Object.keys(record(twin, 'actions')));
    expect(at(experiment, 'Actions', `terminate-${role}`)).toEqual({
      ActionId: 'aws:ec2:terminate-instances',
      Targets: { Instances: `${role}-instances` },
    });
    expect(at(experiment, 'Actions', 'observe-recovery')).toMatchObject({ ActionId: 'aws:fis:wait', StartAfter: [`terminate-${role}`] });
    expect(
      list(experiment, 'StopConditions')
        .map((c) => at(c, 'Value'))
        .sort(byText),
    ).toEqual(alarms.map(arnOf).sort(byText));
    expect(experiment.RoleArn).toEqual(arnOf('FisRole'));
    expect(at(experiment, 'Tags', 'imagery:experiment')).toBe(`kill-${role}`); // how `npm run chaos -- --aws` finds it
  });
});

const byText = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
