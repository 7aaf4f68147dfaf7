// Run by `make test`: what README.md and docs/*.md cite is in the tree. docs/security.md
// answers "which test fails when this promise breaks" by name, so a renamed or deleted test must
// not leave its promise pointing at nothing. Checked, in backticks: paths into the tree's source
// folders; names of at least four words (`a_delete_is_said_once`); and after a backticked
// `e2e/NAME.spec.mjs`, up to the next backtick or the end of the line or table cell, each quoted
// title: "…" in it stands for any text, as `${…}` does in the file's titles, and some title of
// that file must read the same. A shorter name, or one that is a function but not a test, is
// not caught.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const docs = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function filesUnder(dir, ext, found = []) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== 'target' && entry.name !== 'node_modules') filesUnder(rel, ext, found);
    else if (entry.isFile() && entry.name.endsWith(ext)) found.push(rel);
  }
  return found;
}

// A cited name of four words or more is a Rust function (tests are); or, in docs that speak of the
// wire, a name the code spells: a public field or a word in a string literal
// (`server_crypto_access_key`, `db_not_exist_err`); or a crate of Cargo.lock or of
// scripts/install.sh.
const rustFns = new Set();
const otherNames = new Set();
for (const file of ['src', 'tests', 'crates', 'bench'].flatMap((d) => filesUnder(d, '.rs'))) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  for (const m of text.matchAll(/\bfn\s+([a-z_][a-z0-9_]*)/g)) rustFns.add(m[1]);
  for (const m of text.matchAll(/\bpub\s+([a-z_][a-z0-9_]*)\s*:/g)) otherNames.add(m[1]);
  for (const m of text.matchAll(/"((?:\\.|[^"\\\n])*)"/g)) for (const w of m[1].match(/[a-z0-9_]+/g) ?? []) otherNames.add(w);
}
for (const m of fs.readFileSync(path.join(root, 'Cargo.lock'), 'utf8').matchAll(/^name = "([^"]+)"/gm)) otherNames.add(m[1].replaceAll('-', '_'));
for (const m of fs.readFileSync(path.join(root, 'scripts', 'install.sh'), 'utf8').matchAll(/cargo install .*?([a-z0-9_-]+) --version/g)) otherNames.add(m[1]);

const STAR = '\u0000';
// Per spec file: its test titles, each `${…}` in them a STAR, and all its string literals (where
// the values a title's `${…}` takes come from).
const specs = new Map();
function spec(file) {
  if (!specs.has(file)) {
    const full = path.join(root, file);
    const text = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '';
    const unescape = (t) => t.replace(/\\(.)/g, '$1');
    specs.set(file, {
      titles: [...text.matchAll(/\btest(?:\.describe)?(?:\.(?:only|skip|fixme|serial))?\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*?)\1/g)]
        .map((m) => unescape(m[2].replace(/\$\{[^}]*\}/g, STAR))),
      literals: [...text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((m) => unescape(m[2])).join('\u0001'),
    });
  }
  return specs.get(file);
}

// For each place of `cited`, how far a run of it from there is found in one of `literals`.
function reachIn(cited, literals) {
  return Array.from({ length: cited.length }, (_, j) => {
    let k = j;
    while (k < cited.length && cited[k] !== STAR && literals.includes(cited.slice(j, k + 1))) k += 1;
    return k;
  });
}

// Whether a test's `title` reads as the `cited` one, in which STAR (a "…") stands for any text.
// A STAR of the title takes the text a value of the file could give it: a run of the cited title
// found in one of the file's string literals (`reach`, from reachIn), or the cited title's "…".
function readsAs(title, cited, reach) {
  const seen = new Map();
  const go = (i, j) => {
    const key = i * (cited.length + 1) + j;
    if (seen.has(key)) return seen.get(key);
    seen.set(key, false);
    let ok = false;
    if (i === title.length && j === cited.length) ok = true;
    else if (title[i] === STAR) {
      ok = go(i + 1, j) || (cited[j] === STAR && go(i, j + 1));
      for (let k = j + 1; !ok && k <= (reach[j] ?? j); k += 1) ok = go(i + 1, k);
    } else if (cited[j] === STAR) ok = go(i, j + 1) || (i < title.length && go(i + 1, j));
    else ok = i < title.length && j < cited.length && title[i] === cited[j] && go(i + 1, j + 1);
    seen.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

const SOURCE_PATH = /^(?:src|tests|e2e|crates|bench|scripts|docs|style|\.ci)\/[\w./-]*$/;
const TEST_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+){3,}$/;
const problems = [];
let checked = 0;
for (const doc of docs) {
  const text = fs.readFileSync(path.join(root, doc), 'utf8');
  const lineOf = (index) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(/`([^`\n]+)`/g)) {
    const token = m[1];
    if (SOURCE_PATH.test(token)) {
      checked += 1;
      if (!fs.existsSync(path.join(root, token))) problems.push(`${doc}:${lineOf(m.index)}: no ${token} in the tree`);
    }
    for (const name of token.split('::').filter((s) => TEST_NAME.test(s))) {
      checked += 1;
      if (!rustFns.has(name) && !otherNames.has(name)) problems.push(`${doc}:${lineOf(m.index)}: no fn ${name} in src, tests, crates or bench, nor a field, string or crate of that name`);
    }
  }
  for (const m of text.matchAll(/`(e2e\/[\w.-]+\.spec\.mjs)`([^|`\n]*)/g)) {
    for (const q of m[2].matchAll(/"([^"]+)"/g)) {
      checked += 1;
      const cited = q[1].replaceAll('…', STAR);
      const { titles, literals } = spec(m[1]);
      const reach = reachIn(cited, literals);
      if (!titles.some((t) => readsAs(t, cited, reach))) problems.push(`${doc}:${lineOf(m.index)}: no test "${q[1]}" in ${m[1]}`);
    }
  }
}

if (problems.length) {
  console.error(`The docs cite what the tree does not have:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`docs: ${checked} paths, test names and titles cited in ${docs.length} files, all in the tree`);
