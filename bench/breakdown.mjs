// Where a wasm module's bytes go, by crate and by part of the console (docs/performance.md).
// Usage: WASM_OPT_DEBUG=1 scripts/build-release.sh   (keeps the function names)
//        node bench/breakdown.mjs dist-release/apikeys-console-*_bg.wasm
// Needs twiggy (`cargo install twiggy`). Each function counts under the first group its name
// mentions, in the order below (so a framework function instantiated for a console type counts
// as the framework's); sizes are raw bytes after wasm-opt, without the names section.
import { execFileSync } from 'node:child_process';

const GROUPS = [
  ['the contract\'s decoders (platform_types)', ['platform_types']],
  ['the console\'s own code (apikeys_console)', ['apikeys_console']],
  ['serde_json, serde_core', ['serde_json', 'serde_core']],
  ['Leptos (reactive_graph, tachys, leptos, helpers)', ['reactive_graph', 'tachys', 'leptos', 'any_spawner', 'or_poisoned', 'throw_error', 'oco_ref']],
  ['drop glue and closures of other types (core::ptr, core::ops)', ['core::ptr', 'core::ops']],
  ['alloc, std, core, hashbrown, indexmap, dlmalloc', ['alloc::', 'std[', 'std::', 'hashbrown', 'indexmap', 'dlmalloc', 'core::', 'core[', '<str>', '<char>', '__rust']],
  ['wasm-bindgen, js-sys, web-sys, gloo, imports, exports, tables', ['wasm_bindgen', 'js_sys', 'web_sys', 'gloo', 'import ', 'export ', 'table[', 'elem[']],
];

const file = process.argv[2];
if (!file) { console.error('usage: node bench/breakdown.mjs MODULE.wasm'); process.exit(2); }
const csv = execFileSync('twiggy', ['top', '--format', 'csv', '-n', '1000000', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
const rows = csv.trim().split('\n').slice(1).map((line) => {
  const m = line.match(/^(.*),(\d+),([\d.e-]+),[^,]*,[^,]*$/);
  return m ? { name: m[1].replace(/^"|"$/g, ''), size: Number(m[2]) } : null;
}).filter((r) => r && !/names"* subsection/.test(r.name));

const byGroup = new Map([...GROUPS.map(([g]) => [g, 0]), ['data: strings, panic locations, tables', 0], ['the rest', 0]]);
const byPart = new Map();
for (const { name, size } of rows) {
  const group = name.startsWith('data segment') ? 'data: strings, panic locations, tables'
    : GROUPS.find(([, pats]) => pats.some((p) => name.includes(p)))?.[0] ?? 'the rest';
  byGroup.set(group, byGroup.get(group) + size);
  const part = name.match(/apikeys_console::((?:pages|components|api|app|session)::\w+|\w+)/)?.[1];
  if (part && group.startsWith('the console')) byPart.set(part, (byPart.get(part) || 0) + size);
}
const total = [...byGroup.values()].reduce((a, b) => a + b, 0);
const kb = (n) => (n / 1000).toFixed(1);
console.log(`| part | raw kB | share |\n|---|---:|---:|`);
for (const [g, n] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`| ${g} | ${kb(n)} | ${Math.round((100 * n) / total)} % |`);
console.log(`| total | ${kb(total)} | |\n\nThe console's own code by module:\n\n| module | raw kB |\n|---|---:|`);
for (const [p, n] of [...byPart].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`| \`${p}\` | ${kb(n)} |`);
