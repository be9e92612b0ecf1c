import { randomBytes } from 'node:crypto';

/** Where the simulator pretends to run: ARNs carry this region and account (moto's style of fake). */
export interface FisLocation {
  readonly region: string;
  readonly account: string;
}

export const DEFAULT_LOCATION: FisLocation = { region: process.env.AWS_REGION || 'us-east-1', account: '000000000000' };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** FIS-looking ids: `EXT` / `EXP` then 14 letters and digits. Not seeded: ids are names, not fault choices. */
export function newFisId(prefix: 'EXT' | 'EXP'): string {
  const bytes = randomBytes(14);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export const templateArn = (at: FisLocation, id: string) => `arn:aws:fis:${at.region}:${at.account}:experiment-template/${id}`;
export const experimentArn = (at: FisLocation, id: string) => `arn:aws:fis:${at.region}:${at.account}:experiment/${id}`;
export const actionArn = (at: FisLocation, id: string) => `arn:aws:fis:${at.region}:${at.account}:action/${id}`;

/** The id at the end of an ARN (`.../instance/i-1`, `...:role/api`, `...:alarm:name`). */
export function arnResourceId(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.split(/[/:]/).pop() ?? resource;
}

/** Timestamps on the wire: epoch seconds (the SDK's parseEpochTimestamp), millisecond precision. */
export const epochSeconds = (ms: number) => ms / 1000;
