import { toxicName } from '@imagery/history/toxic-name';
import type { Toxic } from '@imagery/control-plane/control-plane';
import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter, enumParameter, numberParameter } from './parameters';

const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'];

/**
 * Local extension: any Toxiproxy toxic on one proxy for `duration` (latency with jitter on
 * dynamodb, reset_peer on s3, ...), then removed. Attributes are the toxic's own, as JSON.
 */
export const localToxiproxyToxic: FisAction = {
  id: 'local:toxiproxy:toxic',
  description: 'Local extension. Adds a Toxiproxy toxic to a proxy for the duration, then removes it.',
  parameters: {
    proxy: {
      description: 'The proxy: dynamodb, s3, sqs, or an API instance slot (api-1, ...).',
      required: true,
      check: (v) => (/^[\w.-]+$/.test(v) ? undefined : `"${v}" is not a proxy name`),
    },
    type: enumParameter('The toxic type.', TOXIC_TYPES),
    attributes: {
      description: 'The toxic attributes as a JSON object of numbers, e.g. {"latency":500,"jitter":100}.',
      required: false,
      check: (v) => (parseAttributes(v) ? undefined : `attributes must be a JSON object of numbers, got ${v}`),
    },
    stream: enumParameter('Which direction the toxic acts on.', ['upstream', 'downstream'], false),
    toxicity: numberParameter('Probability (0-1) that a connection gets the toxic.', 0, 1, false, false),
    duration: durationParameter('How long the toxic stays.'),
  },
  targets: {},
  run: async (context) => {
    const p = context.parameters;
    const durationMs = requireIsoDuration(p.duration, 'duration');
    const toxic: Toxic = {
      type: p.type,
      stream: (p.stream as Toxic['stream']) ?? 'downstream',
      toxicity: p.toxicity === undefined ? 1 : Number(p.toxicity),
      attributes: parseAttributes(p.attributes ?? '{}') ?? {},
    };
    const name = toxicName(context.source);
    const { network } = context.controlPlane;
    await network.addToxic(p.proxy, name, toxic);
    // Registered once added: removing a toxic that was never added is an error in Toxiproxy.
    context.onEnd(() => network.removeToxic(p.proxy, name));
    context.log(`toxic ${name} (${toxic.type}) on ${p.proxy} (${durationMs} ms)`);
    await context.hold(durationMs);
  },
};

function parseAttributes(text: string): Record<string, number> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.values(value).every((v) => typeof v === 'number') ? (value as Record<string, number>) : undefined;
  } catch {
    return undefined;
  }
}
