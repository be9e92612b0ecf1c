import type { ApiLoadResult } from './api-load-phase';
import { servedUnder } from './api-saturation';
import { BenchFigures, judgeRows, verdictOf } from './bench-rows';
import { capacityPhase, cpuBudgetOf } from './cpu-budget';
import { figuresOf } from './figures';
import type { Measurements } from './measurements';
import type { PipelinePhaseResult } from './pipeline-phase';
import { targetsSection } from './print/targets-section';
import { TARGETS } from './targets';

/** A run's measurements, only the fields the rows read; `good` meets every target, otherwise every target is missed. */
function run(good: boolean, plainMoto = true, sdkPerCallMs = { dynamodb: 0.9, s3: 2, sqs: 1 }, bareHttpMs = 0.15): Measurements {
  const phase = (rate: number, keptUp: boolean, cpu: Record<string, number>): PipelinePhaseResult =>
    ({
      name: `ladder-${rate}`,
      offeredRate: rate,
      keptUp,
      processed: 100,
      processedPerSecond: keptUp ? rate : rate * 0.6,
      cpu: { wallSeconds: 25, seconds: { bench: 9, haproxy: 0, other: 0, ...cpu } },
      awsCalls: {
        total: good ? 1100 : 1600,
        background: 50,
        imageReads: 300,
        byOperation: { GetItem: 500 },
        byRoleService: { api: { dynamodb: 400, s3: 100, sqs: 100 }, worker: { dynamodb: 100, s3: 200, sqs: 100 } },
      },
    }) as unknown as PipelinePhaseResult;
  // 100 images: good 7 core-s → 70 core-ms each (worker 20), bad 15 core-s → 150 (worker 45)
  const cpu = good ? { api: 2, worker: 2, moto: 2.5, toxiproxy: 0.5 } : { api: 4, worker: 4.5, moto: 5, toxiproxy: 1.5 };
  const load = (rate: number, p99: number): ApiLoadResult =>
    ({
      name: `api-${rate}`,
      rate,
      seconds: 6,
      achievedRate: rate,
      requests: 900,
      warmup: { requests: 100 },
      failed: 0,
      droppedIterations: 0,
      ms: { all: { p50: p99 / 4, p99 } },
      cpu: { seconds: { api: good ? 1 : 4 }, percentOfCore: { api: 40 } },
    }) as unknown as ApiLoadResult;
  return {
    ceiling: {
      emulator: { ceilingImagesPerSecond: good ? 25 : 22, best: { opsPerSecond: 300 } },
      ...(plainMoto ? { plainMoto: { ceilingImagesPerSecond: 10, best: { opsPerSecond: 100 } }, ratioToPlainMoto: good ? 3 : 1 } : {}),
      sharpRate: { cores: 2, pipeline: { cpuMsPerImage: 20 }, sepia: { cpuMsPerImage: 15 } },
    },
    latency: phase(5, true, cpu),
    throughput: good ? [phase(10, true, cpu), phase(20, true, cpu), phase(25, false, cpu)] : [phase(10, false, cpu)],
    roundTrips: {
      awsCallsPerRead: 1,
      ratios: { apiDirectOverAdapterViaProxy: 1.1, apiDirectOverAdapter: 1.3 },
      ms: { apiDirect: { p50: 2.2 }, adapterViaProxy: { p50: 2 } },
      sdkCallCpu: { calls: 1500, perCallMs: sdkPerCallMs, plainHttpMs: 0.2 },
      bareHttpCpu: { requests: 1000, rate: 100, perRequestMs: bareHttpMs },
    },
    idle: { calls: { perSecond: 6 }, callsPerSecond: { Query: 2 }, coreMsPerSecond: { api: 10, moto: 10 } },
    apiLoads: [load(200, good ? 30 : 855)],
    apiSaturation: { steps: [], highestRate: good ? 400 : 100 },
  } as unknown as Measurements;
}

const budgetOf = (m: Measurements) => cpuBudgetOf(capacityPhase(m.latency, m.throughput), 2);
const rowsOf = (m: Measurements) => judgeRows(figuresOf(m, budgetOf(m)));

describe('verdictOf', () => {
  it('meets at the bound for >= and <=, misses at the bound for <, and past every bound', () => {
    expect(verdictOf(20, '>=', 20)).toBe('MEETS');
    expect(verdictOf(19.9, '>=', 20)).toBe('MISSES');
    expect(verdictOf(75, '<=', 75)).toBe('MEETS');
    expect(verdictOf(75.1, '<=', 75)).toBe('MISSES');
    expect(verdictOf(49.9, '<', 50)).toBe('MEETS');
    expect(verdictOf(50, '<', 50)).toBe('MISSES');
  });

  it('never passes a figure the run did not measure, and judges no reported row', () => {
    expect(verdictOf(undefined, '>=', 2)).toBe('not measured');
    expect(verdictOf(NaN, '<=', 9)).toBe('not measured');
    expect(verdictOf(Infinity, '<=', 9)).toBe('not measured');
    expect(verdictOf(1.77, 'reported', undefined)).toBe('reported');
  });
});

describe("issue 16's rows", () => {
  it('a run that reaches every target MEETS on every judged row', () => {
    const rows = rowsOf(run(true));
    expect(rows.map((r) => r.row)).toEqual(TARGETS.map((t) => t.row));
    expect(rows.filter((r) => r.comparator !== 'reported').map((r) => [r.row, r.verdict])).toEqual(
      TARGETS.filter((t) => t.comparator !== 'reported').map((t) => [t.row, 'MEETS']),
    );
    const value = (id: string) => rows.find((r) => r.row === id)?.value;
    expect(value('pipelineRate')).toBe(20); // the highest step kept up with, not the one it fell behind at
    expect(value('pipelineOfCeiling')).toBe(0.8); // 20 ÷ min(emulator 25, CPU budget 2,000 ÷ 70 = 28.6)
    expect(value('platformCpuPerImage')).toBe(70);
    expect(value('awsCallsPerImage')).toBe(7.5); // (1100 − 50 background − 300 reads × 1) ÷ 100
    expect(value('apiCpuPerRequest')).toBe(1); // 1 core-s ÷ 1,000 requests
    // the floor under it: what one read costs through the SDK, beside the same exchange by plain HTTP
    expect(rows.find((r) => r.row === 'apiCpuPerRequest')?.detail).toContain('0.9 core-ms through the SDK, 0.2 by plain HTTP');
  });

  it('a run that reaches none MISSES on every judged row', () => {
    const rows = rowsOf(run(false));
    expect(rows.filter((r) => r.comparator !== 'reported').every((r) => r.verdict === 'MISSES')).toBe(true);
    expect(rows.find((r) => r.row === 'pipelineRate')?.value).toBe(5);
  });

  it('without a plain moto baseline, that row is "not measured" with no value, the others still judged', () => {
    const rows = rowsOf(run(true, false));
    const moto = rows.find((r) => r.row === 'emulatorOverPlainMoto');
    expect(moto).toMatchObject({ value: null, verdict: 'not measured' });
    expect(rows.filter((r) => r.verdict === 'MEETS')).toHaveLength(TARGETS.filter((t) => t.target !== undefined).length - 1);
  });

  it('prints every row with its target and verdict, and the JSON carries row, value, target and verdict', () => {
    const rows = rowsOf(run(false, false));
    const printed = targetsSection(rows, []).join('\n');
    for (const t of TARGETS) {
      const line = printed.split('\n').find((l) => l.includes(t.measure));
      expect(line).toBeDefined();
      expect(line).toContain(t.target === undefined ? 'reported' : `${t.comparator} ${t.target}`);
    }
    const verdictLines = printed.split('\n').filter((l) => /(MEETS|MISSES|not measured|reported)$/.test(l));
    expect(verdictLines.filter((l) => l.endsWith('MISSES'))).toHaveLength(TARGETS.filter((t) => t.target !== undefined).length - 1);
    expect(printed).toContain('not measured');
    const json = JSON.parse(JSON.stringify({ rows })) as { rows: Array<Record<string, unknown>> };
    for (const r of json.rows) expect(Object.keys(r)).toEqual(expect.arrayContaining(['row', 'value', 'target', 'verdict']));
    expect(json.rows).toHaveLength(TARGETS.length);
    expect(json.rows.find((r) => r.row === 'emulatorOverPlainMoto')).toMatchObject({ value: null, target: 2, verdict: 'not measured' });
  });

  it('every figure the rows need is produced, none left out', () => {
    const figures: BenchFigures = figuresOf(run(true), budgetOf(run(true)));
    expect(Object.keys(figures).sort()).toEqual(TARGETS.map((t) => t.row).sort());
  });
});

describe("floors (what a CPU row would read were the platform's own code free)", () => {
  const rowOf = (m: Measurements, id: string) => rowsOf(m).find((r) => r.row === id)!;

  it('adds sharp, the SDK cost of the calls the fleet made, the emulator and the proxies, and says how much is left', () => {
    const m = run(true);
    // sharp 20 + SDK (5 dynamodb × 0.9 + 3 s3 × 2 + 2 sqs × 1 = 12.5) + moto 25 + Toxiproxy 5 + HAProxy 0, per image
    expect(rowOf(m, 'platformCpuPerImage')).toMatchObject({ floor: { value: 62.5 }, floorMisses: false, verdict: 'MEETS' });
    expect(rowOf(m, 'platformOverSharp').floor?.value).toBe(3.13); // 62.5 ÷ 20
    // the worker's calls only: (sepia 15 + 1 × 0.9 + 2 × 2 + 1 × 1) ÷ 15
    expect(rowOf(m, 'workerOverSepia').floor?.value).toBe(1.39);
    expect(rowOf(m, 'apiCpuPerRequest').floor?.value).toBe(1.05); // one DynamoDB call per request + a bare node:http answer
    const printed = targetsSection(rowsOf(m), []).join('\n');
    expect(printed).toContain("floor 62.5 core-ms, the platform's own code may add 12.5 core-ms up to the target");
    // the pipeline rate's is a ceiling: 2 cores' 2,000 core-ms/s ÷ 62.5 core-ms per image
    expect(rowOf(m, 'pipelineRate')).toMatchObject({ floor: { value: 32 }, floorMisses: false });
    expect(printed).toContain("ceiling 32 images/s, 12 images/s above the target: the most the platform's own code may cost it");
    expect(printed).not.toContain('out of reach');
  });

  it("puts a rate target out of reach when the cores, busy at the platform's floor, fall short of it", () => {
    // sharp 20 + SDK (5 × 2 + 3 × 4 + 2 × 2 = 26) + moto 50 + Toxiproxy 15: 111 core-ms, 2,000 ÷ 111 = 18 images/s
    const rows = rowsOf(run(false, true, { dynamodb: 2, s3: 4, sqs: 2 }));
    expect(rows.find((r) => r.row === 'pipelineRate')).toMatchObject({ floor: { value: 18 }, floorMisses: true });
    const printed = targetsSection(rows, []).join('\n');
    expect(printed).toContain('ceiling 18 images/s, short of the target: out of reach with these parts');
    expect(printed).toContain('pipelineRate (MISSES, its floor too: out of reach)');
  });

  it('says a target is out of reach only for the rows whose floor alone misses it', () => {
    const rows = rowsOf(run(false)); // moto 50 + Toxiproxy 15 per image: the platform's floor is past 75
    expect(rows.find((r) => r.row === 'platformCpuPerImage')).toMatchObject({ verdict: 'MISSES', floorMisses: true });
    expect(rows.find((r) => r.row === 'workerOverSepia')).toMatchObject({ verdict: 'MISSES', floorMisses: false });
    const summary = targetsSection(rows, []).join('\n');
    expect(summary).toContain('platformCpuPerImage (MISSES, its floor too: out of reach)');
    expect(summary).toContain('workerOverSepia (MISSES)');
    expect(summary).toContain('past the target: out of reach with these parts');
  });

  it("puts the API's CPU per request out of reach when one SDK read and Node's bare HTTP answer already cost more", () => {
    // 1 read × 1.09 core-ms + 0.15 core-ms for node:http = 1.24, past 1.2; without the HTTP share it would be 1.09
    const row = rowOf(run(false, true, { dynamodb: 1.09, s3: 2, sqs: 1 }), 'apiCpuPerRequest');
    expect(row).toMatchObject({ verdict: 'MISSES', floor: { value: 1.24 }, floorMisses: true });
    expect(row.floor?.detail).toContain('+ 0.15 core-ms for a bare node:http server to answer it (at 100 req/s)');
    expect(rowOf(run(false, true, { dynamodb: 1.09, s3: 2, sqs: 1 }, 0.1), 'apiCpuPerRequest')).toMatchObject({ floorMisses: false });
  });

  it('never changes a verdict: a figure that meets its target MEETS, whatever its floor', () => {
    const row = rowOf(run(true, true, { dynamodb: 0.9, s3: 50, sqs: 1 }), 'platformCpuPerImage');
    expect(row).toMatchObject({ value: 70, verdict: 'MEETS', floorMisses: true });
  });

  it("has no floor where the fleet's calls were not counted", () => {
    const m = run(true);
    const uncounted = (p: PipelinePhaseResult) => ({ ...p, awsCalls: undefined }) as unknown as PipelinePhaseResult;
    const rows = rowsOf({ ...m, latency: uncounted(m.latency), throughput: m.throughput.map(uncounted) });
    expect(rows.find((r) => r.row === 'platformCpuPerImage')).toMatchObject({ floor: null, floorMisses: false });
    expect(rows.find((r) => r.row === 'workerOverSepia')?.floor).toBeNull();
  });
});

describe('capacityPhase (where the CPU budget prices an image)', () => {
  const phase = (name: string, offeredRate: number, keptUp: boolean) => ({ name, offeredRate, keptUp }) as PipelinePhaseResult;
  const latency = phase('latency', 10, true);

  it('is the highest step kept up with, not the one the pipeline fell behind at', () => {
    const ladder = [phase('ladder-15', 15, true), phase('ladder-20', 20, true), phase('ladder-25', 25, false)];
    expect(capacityPhase(latency, ladder).name).toBe('ladder-20');
  });

  it('is the latency phase when no step above it kept up', () => {
    expect(capacityPhase(latency, [phase('ladder-15', 15, false)]).name).toBe('latency');
    expect(capacityPhase(latency, []).name).toBe('latency');
  });

  it("prices the image at that step's CPU, and still prints the latency phase's beside it", () => {
    const m = run(true);
    const cheaper = { ...m.throughput[1], cpu: { ...m.throughput[1].cpu, seconds: { ...m.throughput[1].cpu.seconds, worker: 1 } } };
    const rows = rowsOf({ ...m, throughput: [m.throughput[0], cheaper, m.throughput[2]] });
    const cpu = rows.find((r) => r.row === 'platformCpuPerImage');
    expect(cpu?.value).toBe(60); // ladder-20: 6 core-s ÷ 100 images, not the latency phase's 70
    expect(cpu?.detail).toContain('ladder-20 at 20 images/s');
    expect(cpu?.detail).toContain('70 in the latency phase at 5 images/s');
  });
});

describe('servedUnder (the API saturation ladder)', () => {
  const load = { rate: 300, seconds: 6, achievedRate: 299, failed: 0, droppedIterations: 0, ms: { all: { p99: 80 } } };
  it('serves a rate under the p99 limit with nothing failed or dropped', () => {
    expect(servedUnder(load as unknown as ApiLoadResult)).toBe(true);
  });
  it.each([
    ['p99 at the limit', { ms: { all: { p99: 100 } } }],
    ['a failure', { failed: 1 }],
    ['over 1 % dropped', { droppedIterations: 19 }],
    ['under 95 % of the rate served', { achievedRate: 280 }],
  ])('does not serve it with %s', (_, change) => {
    expect(servedUnder({ ...load, ...change } as unknown as ApiLoadResult)).toBe(false);
  });
});
