import { kb, ms, RssResult, SizeResult, TRANSFORM_TARGET } from './settings';

const HEADER = [
  ['size', 'JPEG', 'bare sharp', 'transform', '', 'worker job', '', 'S3 get+put', 'DDB x3', 'worker-emu', ''],
  ['', 'KB', 'med / p90', 'med / p90', 'x bare', 'med / p90', 'x bare', 'med', 'med', 'med', 'x bare'],
];

const LEGEND = [
  '  bare sharp  sharp(buffer).recomb(sepia).jpeg(q85, same encoder options as the worker).toBuffer(), in memory',
  "  transform   the worker's SharpImageFilter.sepia() stream, fed 64 KB chunks from memory, drained",
  '  worker job  ProcessImage.execute on the emulator: DDB get, S3 get -> sepia -> S3 put, DDB transition',
  "  S3 get+put  the emulator alone: download the same JPEG, upload the same sepia bytes (the job's S3 round trips)",
  "  DDB x3      the emulator alone: the job's get + get + conditional update",
  '  worker-emu  worker job - S3 - DDB medians: what the job costs beyond the emulator (download and upload overlap the transform)',
].join('\n');

/** The per-size table, its legend, and one verdict line per size. */
export function printSizeTable(results: readonly SizeResult[]): void {
  const rows = results.map(sizeRow);
  const all = [...HEADER, ...rows];
  const widths = HEADER[0].map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const format = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log('\nSepia per image, ms (median / p90 over the iterations; ratios are of medians, against bare sharp):');
  HEADER.forEach((row) => console.log(format(row)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(format(row)));
  console.log(LEGEND);
  for (const r of results) {
    const verdict = r.ratios.transform <= TRANSFORM_TARGET ? 'meets' : 'MISSES';
    console.log(
      `  ${r.label.padEnd(5)}: transform ${r.ratios.transform.toFixed(2)}x bare (${verdict} target <= ${TRANSFORM_TARGET}); ` +
        `worker job ${r.ratios.worker.toFixed(2)}x, net of emulator ${r.ratios.workerNetOfEmulator.toFixed(2)}x; ` +
        `output sepia check ${r.sepiaCheck.ok ? 'ok' : 'FAILED'} (${r.iterations} iterations)`,
    );
  }
  console.log('');
}

function sizeRow(r: SizeResult): string[] {
  const t = r.timings;
  const net = t.worker.median - t.s3.median - t.ddb.median;
  return [
    r.label,
    kb(r.jpegBytes),
    `${ms(t.bare.median)} / ${ms(t.bare.p90)}`,
    `${ms(t.transform.median)} / ${ms(t.transform.p90)}`,
    r.ratios.transform.toFixed(2),
    `${ms(t.worker.median)} / ${ms(t.worker.p90)}`,
    r.ratios.worker.toFixed(2),
    ms(t.s3.median),
    ms(t.ddb.median),
    ms(net),
    r.ratios.workerNetOfEmulator.toFixed(2),
  ];
}

/** The worker's peak memory against the limit, and its throughput beside bare sharp's. */
export function printRss(rss: RssResult, largest: SizeResult): void {
  const verdict = rss.pass ? 'PASS' : 'FAIL';
  console.log(
    `\nWorker memory: ${rss.images} x ${rss.megapixels} MP at concurrency ${rss.concurrency} (pixel limit ${rss.maxInputPixels}):`,
  );
  console.log(
    `  peak RSS ${ms(rss.peakRssMb)} MB (VmHWM; highest 50 ms sample ${ms(rss.sampledMaxRssMb)} MB; ` +
      `${ms(rss.idleRssMb)} MB after the warm-up image)  limit < ${rss.limitMb} MB: ${verdict}`,
  );
  const sequential = 1000 / largest.timings.bare.median;
  console.log(
    `  throughput ${rss.imagesPerSecond.toFixed(2)} images/s (${rss.processed}/${rss.images} processed in ${rss.seconds.toFixed(1)} s` +
      `${rss.jobErrors ? `, ${rss.jobErrors} job error(s)` : ''}); bare sharp one at a time in this run: ${sequential.toFixed(2)} images/s`,
  );
  console.log('');
}
