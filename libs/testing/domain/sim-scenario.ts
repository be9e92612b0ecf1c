import { UNDECODABLE, NOT_AN_IMAGE } from './fake-image-filter';
import { FailureKind, PortOperation } from './failure-plan';

/** What a virtual user uploads. */
export type PayloadKind = 'image' | 'not-an-image' | 'undecodable';

export interface ClientStep {
  readonly op: 'create' | 'upload' | 'get';
  /** Send the id in upper case: the same image, spelled differently. */
  readonly upperCase: boolean;
}

/** A virtual user: one client-chosen id, one payload, requests made one after the other. */
export interface ClientScript {
  readonly id: string;
  readonly payload: PayloadKind;
  readonly steps: readonly ClientStep[];
}

/** A worker either polls the queue (receive, process, delete) or runs a repair sweep. */
export type WorkerStep = 'poll' | 'sweep';

/** The nemesis: clock jumps, armed faults, duplicated and reordered messages. */
export type ChaosStep =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'fault'; readonly operation: PortOperation; readonly fault: FailureKind; readonly times: number }
  | { readonly kind: 'duplicate'; readonly index: number }
  | { readonly kind: 'rotate'; readonly count: number };

export interface Scenario {
  readonly clients: readonly ClientScript[];
  readonly workers: readonly (readonly WorkerStep[])[];
  readonly chaos: readonly ChaosStep[];
}

export function payloadOf(client: ClientScript): Buffer {
  const prefix = { image: 'IMG', 'not-an-image': NOT_AN_IMAGE, undecodable: UNDECODABLE }[client.payload];
  return Buffer.from(`${prefix}-${client.id.toLowerCase()}`);
}

/** The ids whose upload passes inspection but cannot be decoded: ending `failed` (with a reason) is right for them. */
export function expectedFailedOf(scenario: Pick<Scenario, 'clients'>): Set<string> {
  return new Set(scenario.clients.filter((c) => c.payload === 'undecodable').map((c) => c.id.toLowerCase()));
}
