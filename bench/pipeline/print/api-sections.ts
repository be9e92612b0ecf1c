import type { ApiLoadResult } from '../api-load-phase';
import type { LatencySummary } from '../round-trip';
import type { Report } from '../report';
import { API_WARMUP_SECONDS } from '../settings';
import { SATURATION_P99_MS } from '../api-saturation';
import { haproxyCell, ms, table } from './format';

/** GET /image/:id one at a time on the idle platform: the adapter beside the API, direct and through HAProxy. */
export function roundTripSection(r: Report): string[] {
  const rt = r.roundTrips.ms;
  const rows: Array<[string, LatencySummary]> = [
    ['DynamoDbImageTable.get → emulator', rt.adapter],
    ['DynamoDbImageTable.get → Toxiproxy → emulator', rt.adapterViaProxy],
    ['GET /image/:id → API instance (processed: presigned URL)', rt.apiDirect],
    ['GET /image/:id → API instance (created: no URL to sign)', rt.apiDirectUnprocessed],
    ['GET /image/:id → HAProxy → Toxiproxy → API instance', rt.apiViaHaproxy],
  ];
  return [
    'API: GET /image/:id round trip, one request at a time, idle platform (ms)',
    ...table(
      ['', 'p50', 'p90', 'p99'],
      rows.map(([name, x]) => [name, ms(x.p50), ms(x.p90), ms(x.p99)]),
    ),
    '',
  ];
}

const API_LOAD_HEADER = [
  'fault',
  'req/s',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'GET p99',
  'PUT p99',
  'p99 during fault',
  'max ms',
  'failed',
  'dropped',
  'HAProxy servers',
  'fleet events',
];

/** The API under steady load, one row per run: without faults, with each fault, without again. */
export function apiLoadSection(r: Report): string[] {
  return [
    `API under steady load (bench/pipeline/api-load-phase.ts) through HAProxy at ${r.settings.apiRate} req/s, ` +
      `80 % GET /image/:id + 20 % PUT /image/<uuid>, no retries; ${API_WARMUP_SECONDS} s warm-up left out, then ${r.settings.apiSeconds} s`,
    ...table(API_LOAD_HEADER, r.api.map(apiLoadRow)),
    `API saturation ladder: the same load, ${r.apiSaturation.steps[0]?.load.warmupSeconds ?? '-'} s warm-up + ` +
      `${r.apiSaturation.steps[0]?.load.seconds ?? '-'} s per rate, up to the first not served (p99 >= ${SATURATION_P99_MS} ms, ` +
      'a failure, > 1 % dropped or < 95 % of the rate served)',
    ...table(
      API_LOAD_HEADER,
      r.apiSaturation.steps.map((s) => apiLoadRow(s.load)),
    ),
    '  dropped: arrivals the generator could not send on time (every journey slot busy): load not offered, so the latency understates it.',
    '',
  ];
}

function apiLoadRow(a: ApiLoadResult): string[] {
  return [
    a.fault ?? (a.name.endsWith('again') ? 'none (again)' : a.name.startsWith('api-saturation') ? `none, ${a.rate} req/s` : 'none'),
    `${a.achievedRate}`,
    ms(a.ms.all.p50),
    ms(a.ms.all.p90),
    ms(a.ms.all.p99),
    ms(a.ms.reads.p99),
    ms(a.ms.creates.p99),
    a.ms.duringFault ? `${ms(a.ms.duringFault.p99)} (${a.ms.duringFault.n} req)` : '-',
    ms(a.ms.all.max),
    String(a.failed),
    String(a.droppedIterations),
    haproxyCell(a.haproxy),
    a.fleetEvents.join('; ') || '-',
  ];
}
