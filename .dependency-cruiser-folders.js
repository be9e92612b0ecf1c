/**
 * The folders' graph, for scripts/check-folder-cycles.mjs: each app and library is one node, every
 * other top folder one node. Code only: a spec beside its code imports test support, which imports
 * that code back, and that is fine. (dependency-cruiser marks cycles before it collapses, so its own
 * rules cannot see a cycle between folders.)
 */
module.exports = {
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|chaos/reports|libs/testing)/|(\\.spec|\\.e2e-spec)\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    collapse: '^(apps|libs)/[^/]+|^[^/]+/',
  },
};
