import type { FisTestKit } from './fis-test-kit';

export interface FisHttpAnswer {
  readonly status: number;
  /** `x-amzn-errortype`, as the SDKs and the CLI read it. */
  readonly errorType?: string;
  readonly body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A restJson1 request as an AWS SDK would send it, without signing (the simulator does not check
 * SigV4): for operations and fields the pinned @aws-sdk/client-fis (3.523) does not know yet —
 * the safety lever, actionsMode, experimentReportConfiguration.
 */
export async function fisHttp(kit: FisTestKit, method: string, path: string, body?: unknown): Promise<FisHttpAnswer> {
  const res = await fetch(`${kit.simulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype') ?? undefined,
    body: (await res.json()) as Record<string, unknown>,
  };
}
