import type { ControlPlane, InstanceRole } from '@imagery/control-plane/control-plane';
import type { FisLocation } from '../identifiers';

/** A resource a template target can select, described the way FIS filters see it. */
export interface LocalResource {
  readonly resourceType: string;
  readonly arn: string;
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
  /** EC2-API-shaped attributes that filter paths walk (`State.Name`, `Placement.AvailabilityZone`). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface LocalResourceType {
  readonly resourceType: string;
  readonly description: string;
  /** What a `resourceArns` entry must look like (FIS rejects an ARN of another type). */
  readonly arnPattern: RegExp;
  list(controlPlane: ControlPlane, at: FisLocation): LocalResource[];
}

/** The fleet's instances, as EC2 would describe them (`resourceType` is the target type they are listed as). */
const fleetInstances = (resourceType: string, controlPlane: ControlPlane, at: FisLocation): LocalResource[] =>
  controlPlane.fleet.instances().map((i) => ({
    resourceType,
    arn: `arn:aws:ec2:${at.region}:${at.account}:instance/${i.id}`,
    id: i.id,
    tags: i.tags,
    attributes: {
      InstanceId: i.id,
      State: { Name: i.state },
      Placement: { AvailabilityZone: `${at.region}${i.az}` },
      Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
    },
  }));

const instances: LocalResourceType = {
  resourceType: 'aws:ec2:instance',
  description: 'A fleet instance (API or worker process), tagged Role=api|worker and AZ=a|b',
  arnPattern: /^arn:aws:ec2:[^:]*:[^:]*:instance\/i-[\w-]+$/,
  list: (controlPlane, at) => fleetInstances('aws:ec2:instance', controlPlane, at),
};

/** Every local instance can be treated as a spot instance (the fleet serves each a metadata endpoint). */
const spotInstances: LocalResourceType = {
  resourceType: 'aws:ec2:spot-instance',
  description: 'A fleet instance as a spot instance: it hears interruption notices on its metadata endpoint',
  arnPattern: /^arn:aws:ec2:[^:]*:[^:]*:instance\/i-[\w-]+$/,
  list: (controlPlane, at) => fleetInstances('aws:ec2:spot-instance', controlPlane, at),
};

/**
 * The fleet's two auto-scaling groups, one per role (`imagery-api`, `imagery-worker`), tagged
 * `Role`. Zone capacity is the zone's, so an insufficient-capacity error hits both groups' launches there.
 */
const autoScalingGroups: LocalResourceType = {
  resourceType: 'aws:ec2:autoscaling-group',
  description: 'A fleet role as an auto-scaling group (imagery-api, imagery-worker) spanning zones a and b',
  arnPattern: /^arn:aws:autoscaling:[^:]*:[^:]*:autoScalingGroup:[^:]*:autoScalingGroupName\/[\w.-]+$/,
  list: (_controlPlane, at) =>
    (['api', 'worker'] as const).map((role) => ({
      resourceType: 'aws:ec2:autoscaling-group',
      arn: `arn:aws:autoscaling:${at.region}:${at.account}:autoScalingGroup:local:autoScalingGroupName/imagery-${role}`,
      id: `imagery-${role}`,
      tags: { Role: role },
      attributes: { AutoScalingGroupName: `imagery-${role}`, AvailabilityZones: [`${at.region}a`, `${at.region}b`] },
    })),
};

export const LOCAL_ROLES: readonly InstanceRole[] = ['api', 'worker'];

/**
 * In AWS the inject-api-* actions target the IAM role whose calls fail. Locally each fleet role
 * is one "IAM role": `arn:aws:iam::<account>:role/api` (or `/worker`), tagged `Role=api|worker`;
 * rules go to every instance of the selected roles, including replacements launched later.
 */
const roles: LocalResourceType = {
  resourceType: 'aws:iam:role',
  description: 'A fleet role (api or worker): API-layer faults apply to all its instances',
  arnPattern: /^arn:aws:iam::[^:]*:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/,
  list: (_controlPlane, at) =>
    LOCAL_ROLES.map((role) => ({
      resourceType: 'aws:iam:role',
      arn: `arn:aws:iam::${at.account}:role/${role}`,
      id: role,
      tags: { Role: role },
      attributes: { RoleName: role },
    })),
};

/**
 * One pseudo-subnet per availability zone, for aws:network:disrupt-connectivity: each zone has its
 * own Toxiproxy proxies for the AWS services, so cutting a subnet cuts that zone alone.
 */
const subnets: LocalResourceType = {
  resourceType: 'aws:ec2:subnet',
  description: 'A local subnet per availability zone (subnet-a, subnet-b)',
  arnPattern: /^arn:aws:ec2:[^:]*:[^:]*:subnet\/subnet-[\w-]+$/,
  list: (_controlPlane, at) =>
    (['a', 'b'] as const).map((az) => ({
      resourceType: 'aws:ec2:subnet',
      arn: `arn:aws:ec2:${at.region}:${at.account}:subnet/subnet-${az}`,
      id: `subnet-${az}`,
      tags: { AZ: az },
      attributes: { SubnetId: `subnet-${az}`, AvailabilityZone: `${at.region}${az}` },
    })),
};

export const LOCAL_RESOURCE_TYPES: ReadonlyMap<string, LocalResourceType> = new Map(
  [instances, spotInstances, autoScalingGroups, roles, subnets].map((type) => [type.resourceType, type]),
);
