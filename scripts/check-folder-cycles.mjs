// Reads dependency-cruiser's folder graph (JSON on stdin) and fails on any cycle between folders,
// printing it. `npm run lint:folders` cruises the tree once (.dependency-cruiser.js) and collapses
// that graph twice with depcruise-fmt: each app, library and top folder one node; then chaos/ and
// platform/ split into their parts. Code only (specs and libs/testing excluded): a spec beside its
// code imports test support, which imports that code back, and that is fine. (dependency-cruiser
// marks cycles before it collapses, so its own rules cannot see a cycle between folders.)
import { readFileSync } from 'node:fs';

const { modules } = JSON.parse(readFileSync(0, 'utf8'));
const ours = new Set(modules.filter((m) => !m.coreModule && !m.source.startsWith('node_modules')).map((m) => m.source));
const edges = new Map(
  modules
    .filter((m) => ours.has(m.source))
    .map((m) => [m.source, m.dependencies.map((d) => d.resolved).filter((t) => ours.has(t) && t !== m.source)]),
);

// Tarjan's strongly connected components: any component of two or more folders is a cycle.
let index = 0;
const stack = [];
const seen = new Map();
const cycles = [];
function visit(v) {
  const node = { index, low: index++, onStack: true };
  seen.set(v, node);
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!seen.has(w)) {
      visit(w);
      node.low = Math.min(node.low, seen.get(w).low);
    } else if (seen.get(w).onStack) node.low = Math.min(node.low, seen.get(w).index);
  }
  if (node.low !== node.index) return;
  const component = [];
  for (let w = stack.pop(); ; w = stack.pop()) {
    seen.get(w).onStack = false;
    component.push(w);
    if (w === v) break;
  }
  if (component.length > 1) cycles.push(component.sort());
}
for (const v of edges.keys()) if (!seen.has(v)) visit(v);

for (const c of cycles) {
  console.error(`folder cycle: ${c.join(' ↔ ')}`);
  for (const from of c) for (const to of edges.get(from)) if (c.includes(to)) console.error(`  ${from} → ${to}`);
}
if (cycles.length > 0) process.exit(1);
console.log(`no folder cycle (${edges.size} folders)`);
