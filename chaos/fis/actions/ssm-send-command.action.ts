import type { AvailabilityZone, Toxic } from '@imagery/control-plane/control-plane';
import { zonalProxyName } from '@imagery/control-plane/zonal-proxies';
import { requireIsoDuration } from '../iso-duration';
import type { ActionContext, FisAction } from './fis-action';
import { apiProxiesIn } from './network-disrupt-connectivity.action';
import { durationParameter, splitList } from './parameters';
import { toxicName } from '@imagery/history/toxic-name';

/** The AWS FIS SSM documents the simulator runs, by name (the ARN's last part). */
const DOCUMENTS = [
  'AWSFIS-Run-Network-Latency',
  'AWSFIS-Run-Network-Latency-Sources',
  'AWSFIS-Run-Network-Packet-Loss',
  'AWSFIS-Run-Network-Packet-Loss-Sources',
] as const;
type DocumentName = (typeof DOCUMENTS)[number];

const documentName = (arn: string): DocumentName | undefined => DOCUMENTS.find((d) => arn === d || arn.endsWith(`:document/${d}`));

/** How long a "lost" connection stalls before it is closed: about one TCP retransmission timeout. */
const LOST_CONNECTION_STALL_MS = 1_000;

interface DocumentParameters {
  readonly DurationSeconds: number;
  readonly DelayMilliseconds?: number;
  readonly JitterMilliseconds?: number;
  readonly LossPercent?: number;
  readonly Sources?: string;
}

function parseDocumentParameters(text: string): DocumentParameters | string {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'documentParameters must be a JSON object';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'documentParameters must be a JSON object';
  const number = (key: string, min: number, max: number): number | undefined | string => {
    if (value[key] === undefined) return undefined;
    const n = Number(value[key]);
    return Number.isFinite(n) && n >= min && n <= max ? n : `${key} must be a number from ${min} to ${max}`;
  };
  const fields = {
    DurationSeconds: number('DurationSeconds', 0, 43_200),
    DelayMilliseconds: number('DelayMilliseconds', 0, 60_000),
    JitterMilliseconds: number('JitterMilliseconds', 0, 60_000),
    LossPercent: number('LossPercent', 0, 100),
  };
  const problem = Object.values(fields).find((f) => typeof f === 'string');
  if (problem) return problem;
  if (fields.DurationSeconds === undefined) return 'documentParameters needs DurationSeconds';
  return { ...(fields as DocumentParameters), ...(typeof value.Sources === 'string' ? { Sources: value.Sources } : {}) };
}

/**
 * `aws:ssm:send-command` with the AWS FIS network documents, which in AWS run `tc` on the target
 * instances for `DurationSeconds`. Locally the instances' traffic goes through Toxiproxy: an
 * instance reaches the AWS services through its zone's proxies and the load balancer reaches an
 * API instance through its slot's proxy, so the documents become toxics there, for the zones of
 * the targeted instances (every instance in such a zone shares its proxies):
 *   - `AWSFIS-Run-Network-Latency[-Sources]`: a latency toxic (DelayMilliseconds ± JitterMilliseconds);
 *   - `AWSFIS-Run-Network-Packet-Loss[-Sources]`: Toxiproxy has no packet loss, so LossPercent % of
 *     connections (the toxic's toxicity) stall about a retransmission timeout and are then closed
 *     (a `timeout` toxic), which the SDKs see as a lost request and retry.
 * `Sources` (the -Sources documents) narrows which traffic: `ALL` (the default), `DYNAMODB`, `S3`,
 * a domain (`sqs.us-east-1.amazonaws.com` → the SQS proxy), or a zone (`us-east-1b`, `b`): traffic
 * with that zone — here the load balancer's way to the targeted API instances, the only cross-zone
 * traffic of the local topology (the AWS services are regional).
 */
export const ssmSendCommand: FisAction = {
  id: 'aws:ssm:send-command',
  description: 'Runs an AWS FIS SSM document (network latency or packet loss) on the target instances, as Toxiproxy toxics.',
  parameters: {
    documentArn: {
      description: `The document: ${DOCUMENTS.join(', ')} (its ARN or name).`,
      required: true,
      check: (v) => (documentName(v) ? undefined : `document "${v}" is not supported locally; use one of ${DOCUMENTS.join(', ')}`),
    },
    documentVersion: { description: 'Accepted for compatibility.', required: false },
    documentParameters: {
      description: 'The document parameters as JSON: DurationSeconds, DelayMilliseconds, JitterMilliseconds, LossPercent, Sources.',
      required: true,
      check: (v) => {
        const parsed = parseDocumentParameters(v);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    },
    duration: durationParameter('The longest the command may run (it ends after DurationSeconds).', false),
  },
  targets: { Instances: { resourceType: 'aws:ec2:instance' } },
  validate: (parameters) => {
    const document = documentName(parameters.documentArn)!;
    const p = parseDocumentParameters(parameters.documentParameters) as DocumentParameters;
    if (document.includes('Latency') && p.DelayMilliseconds === undefined)
      return ['documentParameters: the latency documents need DelayMilliseconds'];
    if (document.includes('Packet-Loss') && p.LossPercent === undefined)
      return ['documentParameters: the packet-loss documents need LossPercent'];
    if (p.Sources !== undefined && !document.endsWith('-Sources'))
      return [`documentParameters: Sources is for the -Sources documents, not ${document}`];
    return [];
  },
  run: async (context) => {
    const document = documentName(context.parameters.documentArn)!;
    const p = parseDocumentParameters(context.parameters.documentParameters) as DocumentParameters;
    const holdMs = Math.min(
      p.DurationSeconds * 1000,
      context.parameters.duration ? requireIsoDuration(context.parameters.duration, 'duration') : Infinity,
    );
    const proxies = proxiesFor(context, p.Sources ?? 'ALL');
    const toxic: Toxic = document.includes('Latency')
      ? {
          type: 'latency',
          stream: 'downstream',
          toxicity: 1,
          attributes: { latency: p.DelayMilliseconds ?? 0, jitter: p.JitterMilliseconds ?? 0 },
        }
      : { type: 'timeout', stream: 'downstream', toxicity: (p.LossPercent ?? 0) / 100, attributes: { timeout: LOST_CONNECTION_STALL_MS } };
    const name = toxicName(context.source);
    const { network } = context.controlPlane;
    const added: string[] = [];
    context.onEnd(async () => {
      for (const proxy of added) await network.removeToxic(proxy, name);
    });
    for (const proxy of proxies) {
      await network.addToxic(proxy, name, toxic);
      added.push(proxy);
    }
    context.log(
      `${document}: ${toxic.type} toxic ${JSON.stringify(toxic.attributes)} at toxicity ${toxic.toxicity} ` +
        `on ${proxies.join(', ') || '(none)'} (${holdMs} ms)`,
    );
    await context.hold(holdMs);
  },
};

/** The proxies carrying the targeted instances' traffic of `sources`. */
function proxiesFor(context: ActionContext, sources: string): string[] {
  const instances = context.targets.Instances;
  const zones = [...new Set(instances.map((i) => i.tags.AZ as AvailabilityZone))].sort();
  const targetedApis = (inZones: readonly AvailabilityZone[]) =>
    apiProxiesIn(inZones, context.controlPlane).filter((name) => instances.some((i) => i.tags.Name === name));
  const proxies = new Set<string>();
  for (const source of splitList(sources)) {
    const upper = source.toUpperCase();
    const service = upper === 'DYNAMODB' ? 'dynamodb' : upper === 'S3' ? 's3' : /(^|\.)sqs\./i.test(source) ? 'sqs' : undefined;
    const zone = /^(?:[a-z]{2}-[a-z]+-\d)?([ab])$/.exec(source)?.[1];
    if (upper === 'ALL') {
      for (const z of zones) for (const s of ['dynamodb', 's3', 'sqs']) proxies.add(zonalProxyName(s, z));
      targetedApis(zones).forEach((p) => proxies.add(p));
    } else if (service) zones.forEach((z) => proxies.add(zonalProxyName(service, z)));
    else if (zone) targetedApis(zones.filter((z) => z !== zone)).forEach((p) => proxies.add(p));
    else throw new Error(`Sources entry "${source}" has no local meaning (use ALL, DYNAMODB, S3, an sqs domain, or a zone)`);
  }
  return [...proxies].sort();
}
