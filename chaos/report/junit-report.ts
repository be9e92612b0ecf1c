import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { element, text, xmlDocument, type Xml } from './junit-xml';

/** The file CI test reporters read, beside report.json (one run) or in a matrix's folder. */
export const JUNIT_FILE = 'junit.xml';

/** What a case's verdict makes it for a test reporter: absent, it passed. */
export interface JunitProblem {
  /** `failure`: the system under test broke a promise; `error`: the run could not judge it. */
  readonly kind: 'failure' | 'error';
  /** The verdict (FAIL, INCONCLUSIVE...) or ERROR: what a reporter shows as the type. */
  readonly type: string;
  /** One line. */
  readonly message: string;
  /** The whole story: every reason, every violation. */
  readonly detail: string;
}

/** One experiment run as a test case. */
export interface JunitCase {
  readonly name: string;
  /** `chaos.<build>`: reporters group cases by it. */
  readonly classname: string;
  readonly seconds: number;
  readonly problem?: JunitProblem;
  /** Where to look next (the report's path, the run's seed and rate), shown as the case's output. */
  readonly output?: string;
}

export type JunitProperties = Readonly<Record<string, string | number | boolean | undefined>>;

/** One command's runs: one <testsuite>. */
export interface JunitSuite {
  readonly name: string;
  /** When the first run started (ms since the epoch). */
  readonly startedAt: number;
  /** What holds for every case (seed, rate, commit...). */
  readonly properties: JunitProperties;
  readonly cases: readonly JunitCase[];
}

/**
 * The JUnit XML that Jenkins, GitLab and GitHub's test reporters read:
 * testsuites > testsuite(name, tests, failures, errors, skipped, time, timestamp) > properties,
 * testcase(name, classname, time) > failure | error, system-out.
 */
export function junitXml(suite: JunitSuite): string {
  const counts = countsOf(suite.cases);
  const root = { name: suite.name, ...counts };
  const suiteAttributes = { ...root, timestamp: new Date(suite.startedAt).toISOString().slice(0, 19) };
  return xmlDocument(
    element('testsuites', root, [element('testsuite', suiteAttributes, [propertiesOf(suite.properties), ...suite.cases.map(caseXml)])]),
  );
}

/** Writes `junitXml(suite)` to `path` (its folder made if missing). */
export async function writeJunit(path: string, suite: JunitSuite): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, junitXml(suite));
}

/** The properties every one of `each` has with the same value: what a matrix's suite can say once. */
export function sharedProperties(each: readonly JunitProperties[]): JunitProperties {
  if (each.length === 0) return {};
  return Object.fromEntries(Object.entries(each[0]).filter(([key, value]) => each.every((p) => p[key] === value)));
}

const seconds = (s: number) => Math.max(0, s).toFixed(3);

function countsOf(cases: readonly JunitCase[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.problem?.kind === 'failure').length,
    errors: cases.filter((c) => c.problem?.kind === 'error').length,
    skipped: 0,
    time: seconds(cases.reduce((sum, c) => sum + c.seconds, 0)),
  };
}

function propertiesOf(properties: JunitProperties): Xml {
  const defined = Object.entries(properties).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return element(
    'properties',
    {},
    defined.map(([name, value]) => element('property', { name, value: String(value) })),
  );
}

function caseXml(c: JunitCase): Xml {
  const problem = c.problem
    ? [element(c.problem.kind, { type: c.problem.type, message: c.problem.message }, [text(c.problem.detail)])]
    : [];
  const output = c.output ? [element('system-out', {}, [text(c.output)])] : [];
  return element('testcase', { name: c.name, classname: c.classname, time: seconds(c.seconds) }, [...problem, ...output]);
}
