// Why a function or datum is in the console's wasm: who refers to it, and who refers to those.
//
//   node bench/refs.mjs PATTERN [DEPTH] [WASM]
//
// Reads the module as the linker wrote it, before wasm-split and wasm-opt
// (target/wasm32-unknown-unknown/release/apikeys-console.wasm, left by scripts/build-release.sh,
// which links with --emit-relocs), and follows its relocations backwards: calls and function
// pointers in code, vtables and other pointers in data. twiggy's `paths` stops at the function
// table, where every function reached through a vtable or a `fmt::Arguments` ends; relocations
// name the vtable and the code that uses it. PATTERN is a regular expression matched against the
// symbol names, demangled and mangled; DEPTH (default 6) bounds the tree.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [pattern, depthArg, file] = process.argv.slice(2);
if (!pattern) {
  console.error('usage: node bench/refs.mjs PATTERN [DEPTH] [WASM]');
  process.exit(2);
}
const wasm = fs.readFileSync(file ?? path.join(root, 'target/wasm32-unknown-unknown/release/apikeys-console.wasm'));
const depth = Number(depthArg ?? 6);
const wanted = new RegExp(pattern);

let at = 0;
const u8 = () => wasm[at++];
const leb = () => {
  let r = 0n;
  let shift = 0n;
  for (;;) {
    const b = wasm[at++];
    r |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if (b < 0x80) return Number(r);
  }
};
const str = () => {
  const n = leb();
  at += n;
  return wasm.toString('utf8', at - n, at);
};
// Relocation types that carry an addend, and those that name no symbol.
const ADDEND = new Set([3, 4, 5, 8, 9, 11, 14, 15, 16, 17, 21, 22, 23, 25]);
const NO_SYMBOL = new Set([6, 7, 10, 13, 20]);

const sections = [];
at = 8;
while (at < wasm.length) {
  const id = u8();
  const size = leb();
  sections.push({ id, start: at, end: at + size });
  at += size;
}
let importedFns = 0;
let code;
let data;
const symbols = [];
const relocs = new Map();
sections.forEach((s, index) => {
  at = s.start;
  if (s.id === 2) {
    for (let n = leb(); n > 0; n--) {
      str();
      str();
      const kind = u8();
      if (kind === 0) { leb(); importedFns++; }
      else if (kind === 1) { u8(); const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 2) { leb(); const flags = leb(); if (flags & 1) leb(); }
      else if (kind === 3) at += 2;
      else throw new Error(`import kind ${kind}`);
    }
  } else if (s.id === 10) {
    const starts = [];
    for (let n = leb(); n > 0; n--) {
      const size = leb();
      starts.push(at - s.start);
      at += size;
    }
    code = { index, starts };
  } else if (s.id === 11) {
    const starts = [];
    for (let n = leb(); n > 0; n--) {
      const flags = leb();
      if (flags === 2) leb();
      if (flags !== 1) { while (wasm[at] !== 0x0b) at++; at++; }
      const size = leb();
      starts.push(at - s.start);
      at += size;
    }
    data = { index, starts };
  } else if (s.id === 0) {
    const name = str();
    if (name === 'linking') {
      leb();
      while (at < s.end) {
        const type = u8();
        const size = leb();
        const next = at + size;
        if (type === 8) {
          for (let n = leb(); n > 0; n--) {
            const kind = u8();
            const flags = leb();
            const defined = !(flags & 0x10);
            if (kind === 1) {
              const name = str();
              symbols.push(defined ? { kind, name, segment: leb(), offset: leb(), size: leb() } : { kind, name });
            } else if (kind === 3) {
              symbols.push({ kind, section: leb() });
            } else {
              const idx = leb();
              symbols.push({ kind, idx, name: defined || flags & 0x40 ? str() : undefined });
            }
          }
        }
        at = next;
      }
    } else if (name.startsWith('reloc.')) {
      const target = leb();
      const list = [];
      for (let n = leb(); n > 0; n--) {
        const type = u8();
        const offset = leb();
        const sym = leb();
        if (ADDEND.has(type)) leb();
        list.push({ type, offset, sym });
      }
      relocs.set(target, list);
    }
  }
});
if (!symbols.length || !relocs.size) throw new Error('no symbol table or relocations: link with --emit-relocs');

// Names are demangled by binutils' c++filt (it reads Rust's legacy and v0 manglings); without
// it they are shown as mangled.
const mangled = [...new Set(symbols.map((s) => s.name).filter(Boolean))];
const filtered = spawnSync('c++filt', { input: mangled.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
const plain = new Map();
if (filtered.status === 0) {
  const lines = filtered.stdout.split('\n');
  mangled.forEach((m, i) => plain.set(m, (lines[i] ?? m).replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '')));
}
const demangle = (s) => (s ? plain.get(s) ?? s : '?');

// Nodes: `f<function index>` and `d<symbol index>`.
const fnName = new Map();
const dataSyms = [];
symbols.forEach((s, i) => {
  if (s.kind === 0 && s.name && !fnName.has(s.idx)) fnName.set(s.idx, s.name);
  if (s.kind === 1 && s.segment !== undefined) dataSyms.push({ ...s, i });
});
const nodeOf = (i) => (symbols[i].kind === 0 ? `f${symbols[i].idx}` : symbols[i].kind === 1 ? `d${i}` : null);
const rawName = (node) => (node[0] === 'f' ? fnName.get(Number(node.slice(1))) : symbols[Number(node.slice(1))].name);
const label = (node) => `${node[0] === 'f' ? 'F' : 'D'} ${demangle(rawName(node))}`;
const last = (sorted, x) => {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid; else hi = mid - 1;
  }
  return lo;
};
const bySegment = new Map();
for (const d of dataSyms) {
  if (!bySegment.has(d.segment)) bySegment.set(d.segment, []);
  bySegment.get(d.segment).push(d);
}
const referrers = new Map();
for (const [target, list] of relocs) {
  for (const { type, offset, sym } of list) {
    if (NO_SYMBOL.has(type)) continue;
    const to = nodeOf(sym);
    if (!to) continue;
    let from = null;
    if (target === code.index) {
      from = `f${importedFns + last(code.starts, offset)}`;
    } else if (target === data.index) {
      const segment = last(data.starts, offset);
      const within = offset - data.starts[segment];
      const d = (bySegment.get(segment) ?? []).find((x) => x.offset <= within && within < x.offset + x.size);
      if (d) from = `d${d.i}`;
    }
    if (!from || from === to) continue;
    if (!referrers.has(to)) referrers.set(to, new Set());
    referrers.get(to).add(from);
  }
}

const targets = [...fnName.keys()].map((i) => `f${i}`).concat(dataSyms.map((d) => `d${d.i}`))
  .filter((n) => wanted.test(rawName(n) ?? '') || wanted.test(demangle(rawName(n))));
if (!targets.length) {
  console.error(`no symbol matches ${pattern}`);
  process.exit(1);
}
const seen = new Set();
const show = (node, left, indent) => {
  const again = seen.has(node);
  console.log(`${'  '.repeat(indent)}${label(node).slice(0, 200)}${again && left > 0 ? '  (above)' : ''}`);
  if (left === 0 || again) return;
  seen.add(node);
  const from = [...(referrers.get(node) ?? [])].sort((a, b) => label(a).localeCompare(label(b)));
  for (const f of from.slice(0, 25)) show(f, left - 1, indent + 1);
  if (from.length > 25) console.log(`${'  '.repeat(indent + 1)}… and ${from.length - 25} more`);
};
for (const t of targets) show(t, depth, 0);
