import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MatrixRun, otherReason, runOutcome, summarizeMatrix } from './mutation-matrix';

/**
 * The mutation matrix as a StrykerJS mutation-testing report (mutation-testing-report-schema,
 * schemaVersion 2), so any tool that reads Stryker's reports reads ours, and
 * `mutation-testing-elements` renders it. One "mutant" per adversary, located at the lines of its
 * source that carry the defect; its catchers' experiments are the "tests" that cover and kill it.
 */

export type MutantStatus = 'Killed' | 'Survived' | 'RuntimeError';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface MutantResult {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement: string;
  readonly description: string;
  /** Start inclusive, end exclusive; both 1-based, as the schema says. */
  readonly location: { readonly start: Position; readonly end: Position };
  readonly status: MutantStatus;
  readonly statusReason?: string;
  readonly killedBy?: readonly string[];
  readonly coveredBy: readonly string[];
  readonly testsCompleted: number;
}

export interface MutationReport {
  readonly schemaVersion: '2';
  readonly thresholds: { readonly high: number; readonly low: number; readonly break: number };
  readonly projectRoot: string;
  readonly files: Record<string, { readonly language: 'typescript'; readonly source: string; readonly mutants: MutantResult[] }>;
}

/** What the report needs of an adversary (libs/adversaries AdversaryDefinition). */
export interface ReportedAdversary {
  readonly name: string;
  readonly description: string;
}

/** Where an adversary's defect lives, relative to the repository root: one file per adversary. */
export const adversarySourcePath = (name: string): string =>
  name === 'seed' ? 'libs/adversaries/src/seed/seed-build.ts' : `libs/adversaries/src/mutants/${name}.ts`;

/**
 * The lines that override the real build: the class the file declares (the defect is its method),
 * else the definition's `build:` member, brace-matched; else the whole file.
 */
export function locateDefect(source: string): MutantResult['location'] {
  const lines = source.split('\n');
  const classLine = lines.findIndex((l) => /^(export )?class \w+/.test(l));
  const buildLine = lines.findIndex((l) => /^\s+build: /.test(l));
  const startLine = classLine >= 0 ? classLine : buildLine;
  const lastLine = { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
  if (startLine < 0) return { start: { line: 1, column: 1 }, end: lastLine };
  const startColumn = lines[startLine].search(/\S/);
  // Brace-match from the first `{` of that line (template `${...}` inside is balanced too).
  let depth = 0;
  for (let l = startLine; l < lines.length; l++) {
    for (let c = l === startLine ? lines[l].indexOf('{') : 0; c >= 0 && c < lines[l].length; c++) {
      if (lines[l][c] === '{') depth++;
      else if (lines[l][c] === '}' && --depth === 0) {
        return { start: { line: startLine + 1, column: startColumn + 1 }, end: { line: l + 1, column: c + 2 } };
      }
    }
  }
  return { start: { line: startLine + 1, column: startColumn + 1 }, end: { line: lines.length, column: 1 } };
}

function mutantOf(adversary: ReportedAdversary, source: string, runs: readonly MatrixRun[]): MutantResult {
  const own = runs.filter((r) => r.build === adversary.name);
  const killing = own.filter((r) => runOutcome(r) === 'killed');
  const broken = own.filter((r) => runOutcome(r) === 'runtime-error');
  const other = own.filter((r) => runOutcome(r) === 'other');
  const status: MutantStatus = killing.length ? 'Killed' : broken.length ? 'RuntimeError' : 'Survived';
  const otherText = other.map((r) => `${r.experiment}: ${otherReason(r)}`);
  const verdictText = (r: MatrixRun) => `verdict ${r.verdict}${r.reasons?.length ? ` (${r.reasons.join('; ')})` : ''}`;
  const brokenText = broken.map((r) => `${r.experiment}: ${r.error ?? verdictText(r)}`);
  const reason =
    status === 'Killed'
      ? [
          `killed by ${killing.map((r) => `${r.experiment} (${r.expected})`).join(', ')}`,
          ...otherText.map((t) => `also failed for another reason: ${t}`),
        ]
      : status === 'RuntimeError'
        ? [`the run itself broke: ${brokenText.join('; ')}`, ...otherText.map((t) => `failed for another reason: ${t}`)]
        : otherText.length
          ? otherText.map((t) => `failed for another reason: ${t}`)
          : [`PASS under ${own.map((r) => r.experiment).join(', ') || 'no experiment'}`];
  return {
    id: adversary.name,
    mutatorName: adversary.name,
    replacement: adversary.description,
    description: adversary.description,
    location: locateDefect(source),
    status,
    statusReason: reason.join('; '),
    ...(killing.length ? { killedBy: [...new Set(killing.map((r) => r.expected!))] } : {}),
    coveredBy: own.map((r) => r.experiment),
    testsCompleted: own.filter((r) => runOutcome(r) !== 'runtime-error').length,
  };
}

export interface MutationReportInput {
  readonly adversaries: readonly ReportedAdversary[];
  readonly runs: readonly MatrixRun[];
  /** The score (percent) below which the command fails: Stryker's thresholds.break. */
  readonly breakAt: number;
  /** The repository root: adversary sources are read from here. */
  readonly root: string;
}

export function buildMutationReport({ adversaries, runs, breakAt, root }: MutationReportInput): MutationReport {
  const files: MutationReport['files'] = {};
  for (const adversary of adversaries) {
    const path = adversarySourcePath(adversary.name);
    if (!existsSync(join(root, path))) throw new Error(`adversary ${adversary.name}: no source at ${path}`);
    const file = (files[path] ??= { language: 'typescript', source: readFileSync(join(root, path), 'utf8'), mutants: [] });
    file.mutants.push(mutantOf(adversary, file.source, runs));
  }
  const floor = Math.max(0, Math.min(100, Math.round(breakAt)));
  return { schemaVersion: '2', thresholds: { high: 100, low: Math.min(80, floor), break: floor }, projectRoot: root, files };
}

/** The score the command judges, in percent (killed / every adversary, as the matrix prints it). */
export const scorePercent = (runs: readonly MatrixRun[]): number => summarizeMatrix(runs).score * 100;

/** A page that needs nothing else: the elements bundle and the report inlined, as its README shows. */
export function mutationReportHtml(report: MutationReport, bundle: string): string {
  // Neither may close the <script> they sit in.
  const code = bundle.replace(/<\/script/gi, '<\\/script');
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Imagery chaos: mutation report</title>',
    `<script>${code}</script>`,
    '</head>',
    '<body>',
    '<mutation-test-report-app title-postfix="Imagery chaos mutants"></mutation-test-report-app>',
    `<script>document.querySelector('mutation-test-report-app').report = ${data};</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes mutation-report.json and mutation-report.html into `dir`; returns their paths. */
export function writeMutationReport(dir: string, report: MutationReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'mutation-report.json');
  const html = join(dir, 'mutation-report.html');
  writeFileSync(json, JSON.stringify(report, null, 2));
  const bundle = readFileSync(require.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8');
  writeFileSync(html, mutationReportHtml(report, bundle));
  return { json, html };
}
