import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';

/** A folder graph as dependency-cruiser prints it collapsed: each folder and what it imports. */
const graph = (edges: Record<string, string[]>) => ({
  modules: [
    ...Object.entries(edges).map(([source, to]) => ({ source, dependencies: to.map((resolved) => ({ resolved })) })),
    { source: 'fs', coreModule: true, dependencies: [] },
  ],
});

const check = (edges: Record<string, string[]>) =>
  spawnSync(process.execPath, [join(repoRoot(), 'scripts/check-folder-cycles.mjs')], {
    input: JSON.stringify(graph(edges)),
    encoding: 'utf8',
  });

describe('the folder-cycle check (npm run lint:folders)', () => {
  it('passes folders that depend one way, core modules and self-imports aside', () => {
    const run = check({ 'chaos/': ['platform/', 'libs/kernel', 'fs', 'chaos/'], 'platform/': ['libs/kernel'], 'libs/kernel': [] });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no folder cycle (3 folders)');
  });

  it('fails on a cycle through three folders and names each arrow of it', () => {
    const run = check({ 'chaos/': ['platform/'], 'platform/': ['load/'], 'load/': ['chaos/'], 'bench/': ['chaos/'] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('folder cycle: chaos/ ↔ load/ ↔ platform/');
    for (const arrow of ['chaos/ → platform/', 'platform/ → load/', 'load/ → chaos/']) expect(run.stderr).toContain(arrow);
    expect(run.stderr).not.toContain('bench/');
  });

  it('reports every separate cycle', () => {
    const run = check({ 'apps/api': ['libs/domain'], 'libs/domain': ['apps/api'], 'chaos/': ['load/'], 'load/': ['chaos/'] });
    expect(run.status).toBe(1);
    expect(run.stderr.match(/^folder cycle:/gm)).toHaveLength(2);
  });
});
