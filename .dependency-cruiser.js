/**
 * The layout's dependency rules (README "Layout"), checked in `npm test`. Test code may import
 * anything production; production code never imports test support, and the arrows below only
 * point the way the README draws them.
 */
const TEST = '(\\.spec|\\.e2e-spec)\\.ts$|^libs/testing/';
/** What the release artifact ships besides the apps; the other libraries serve the tools. */
const PRODUCTION_LIBS = '^libs/(domain|aws-adapters|image-filter|nest-platform|kernel)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No file imports itself through others.', from: {}, to: { circular: true } },
    {
      name: 'domain-imports-only-node',
      severity: 'error',
      comment: 'The domain is framework-free: node:* and itself only.',
      from: { path: '^libs/domain/src/', pathNot: TEST },
      to: { pathNot: '^libs/domain/src/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'kernel-imports-only-node',
      severity: 'error',
      comment: 'The kernel is what every tool shares: it depends on nothing of ours.',
      from: { path: '^libs/kernel/src/', pathNot: TEST },
      to: { path: '^(apps|libs|chaos|load|bench|platform|infra|scripts)/', pathNot: '^libs/kernel/src/' },
    },
    {
      name: 'libs-know-no-tool',
      severity: 'error',
      comment: 'Libraries (adapters included) know no app and no tool.',
      from: { path: '^libs/', pathNot: TEST },
      to: { path: '^(apps|chaos|load|bench|platform|infra|scripts)/' },
    },
    {
      name: 'production-libs-import-no-tool-lib',
      severity: 'error',
      comment: 'What ships imports no tool library; adversaries are a plugin loaded by path in chaos mode only.',
      from: { path: PRODUCTION_LIBS, pathNot: TEST },
      to: { path: '^libs/(adversaries|checker|history|cfn-deploy|control-plane|testing)/' },
    },
    {
      name: 'apps-import-only-production-libs',
      severity: 'error',
      comment: 'An app is built from production libraries only.',
      from: { path: '^apps/', pathNot: TEST },
      to: { path: '^(chaos|load|bench|platform|infra|scripts)/|^libs/(adversaries|checker|history|cfn-deploy|control-plane|testing)/' },
    },
    {
      name: 'nothing-imports-scripts',
      severity: 'error',
      comment: 'scripts/ holds entry points only.',
      from: {},
      to: { path: '^scripts/' },
    },
    {
      name: 'nothing-imports-bench',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'load-imports-no-tool',
      severity: 'error',
      comment: 'The workload writes the history and knows nothing of the nemesis or the checker that read it.',
      from: { path: '^load/', pathNot: TEST },
      to: { path: '^(chaos|bench|platform|infra|scripts)/' },
    },
    {
      name: 'platform-imports-no-tool',
      severity: 'error',
      comment:
        "The local platform implements the control plane's seams (libs/control-plane) and is handed the experiment service " +
        'to start: it imports no chaos code.',
      from: { path: '^platform/', pathNot: TEST },
      to: { path: '^(chaos|load|bench|infra|scripts)/' },
    },
    {
      name: 'simulator-knows-no-platform',
      severity: 'error',
      comment: 'The FIS simulator reaches instances, proxies and fault rules only through the seams of libs/control-plane.',
      from: { path: '^chaos/fis/', pathNot: TEST },
      to: { path: '^(platform|load|bench|infra|scripts)/|^chaos/(?!fis/)' },
    },
    {
      name: 'shrink-engine-imports-only-node',
      severity: 'error',
      comment:
        'The shrinker (delta debugging over a failing run) is framework-free: node:*, itself and the duration parser; ' +
        'the platform wiring that runs a candidate is handed to it.',
      from: { path: '^chaos/shrink/', pathNot: TEST },
      to: { pathNot: '^chaos/shrink/|^load/engine/duration\\.ts$', dependencyTypesNot: ['core'] },
    },
    {
      name: 'infra-imports-only-libs',
      severity: 'error',
      from: { path: '^infra/', pathNot: TEST },
      to: { path: '^(apps|chaos|load|bench|platform|scripts)/' },
    },
    {
      name: 'no-source-imports-test-support',
      severity: 'error',
      from: { pathNot: TEST },
      to: { path: '^libs/testing/|(\\.spec|\\.e2e-spec)\\.ts$' },
    },
    {
      name: 'fast-check-only-in-test-support',
      severity: 'error',
      comment: 'Property tests get fast-check through libs/testing, so its arbitraries are written once.',
      from: { pathNot: '^libs/testing/' },
      to: { path: 'node_modules/fast-check/' },
    },
    {
      name: 'shipped-code-uses-no-dev-dependency',
      severity: 'error',
      comment: 'What the release artifact holds (apps and production libraries) runs on production dependencies.',
      from: { path: `^apps/|${PRODUCTION_LIBS}`, pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|chaos/reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
