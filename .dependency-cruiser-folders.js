/**
 * The folders' graph, for scripts/check-folder-cycles.mjs: `npm run lint:folders` collapses it twice
 * (each app, library and top folder one node; then chaos/ and platform/ split into their parts).
 * Code only: a spec beside its code imports test support, which imports that code back, and that is
 * fine. (dependency-cruiser marks cycles before it collapses, so its own rules cannot see a cycle
 * between folders.)
 */
module.exports = {
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|chaos/reports|libs/testing)/|(\\.spec|\\.e2e-spec)\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
