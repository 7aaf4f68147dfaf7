// Assembles the release bundle from the optimised wasm-split + wasm-bindgen output, doing for the
// release build what Trunk does for `make dev`: content-hashed file names, `index.html` with its
// `data-trunk` links replaced by the real tags, and the loader script.
//
//   node scripts/bundle.mjs STAGE OUT [--bench]
//
// With --bench (the instrumented build of `make bench`), the loader also hands the wasm bindings
// and instance to the page (`window.wasmBindings`, the `console-started` event); the release
// bundle has neither.
//
// STAGE holds `bindgen/NAME.js`, `bindgen/NAME_bg.wasm` (the first load) and `split/` with
// `__wasm_split.js` and the chunks it fetches on demand. The two scripts import each other, so
// they share one build id: a hash over every wasm file and both scripts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { transformSync, version as esbuildVersion } from 'esbuild';

const [stage, out, flag] = process.argv.slice(2);
if (!stage || !out || (flag && flag !== '--bench')) { console.error('usage: node scripts/bundle.mjs STAGE OUT [--bench]'); process.exit(2); }
const bench = flag === '--bench';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const NAME = 'apikeys-console';

const hex16 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};
const sri = (data) => `sha384-${crypto.createHash('sha384').update(data).digest('base64')}`;
const fail = (msg) => { console.error(`bundle: ${msg}`); process.exit(1); };
/** Replaces every occurrence of `from` in `text`, insisting on at least one. */
const replaceAll = (text, from, to, where) => {
  if (!text.includes(from)) fail(`${where} does not mention ${from}`);
  return text.split(from).join(to);
};

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const emit = (name, data) => { fs.writeFileSync(path.join(out, name), data); return name; };

// Chunks: each under its own content hash; the loader names them.
const splitDir = path.join(stage, 'split');
let loader = fs.readFileSync(path.join(splitDir, '__wasm_split.js'), 'utf8');
const chunks = fs.readdirSync(splitDir).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`).sort();
const chunkBytes = [];
for (const file of chunks) {
  const data = fs.readFileSync(path.join(splitDir, file));
  chunkBytes.push(data);
  const hashed = emit(`${path.basename(file, '.wasm')}-${hex16(data)}.wasm`, data);
  loader = replaceAll(loader, `"./${file}"`, `"./${hashed}"`, '__wasm_split.js');
}

// The first load: the bindings script, its wasm, and the loader, under one build id.
let main = fs.readFileSync(path.join(stage, 'bindgen', `${NAME}.js`), 'utf8');
const wasm = fs.readFileSync(path.join(stage, 'bindgen', `${NAME}_bg.wasm`));
// The minifier's version too: its output is what is served under this id.
const id = hex16(wasm, ...chunkBytes, main, loader, `esbuild ${esbuildVersion}`);
const mainJs = `${NAME}-${id}.js`;
const loaderJs = `__wasm_split-${id}.js`;
const mainWasm = emit(`${NAME}-${id}_bg.wasm`, wasm);
// Only the module specifiers change: the import object's keys must stay what the wasm imports.
main = replaceAll(main, `from "./__wasm_split.js"`, `from "./${loaderJs}"`, `${NAME}.js`);
loader = replaceAll(loader, `from "./${NAME}.js"`, `from "./${mainJs}"`, '__wasm_split.js');
// Minified once the names are in (exported names and import specifiers are kept): the bindings
// script is 64 kB of readable glue, 29 kB minified.
// `module: false` for a classic inline script (no ESM wrapping); es2022 where top-level await is used.
const minify = (code, { module = true, target = 'es2020' } = {}) =>
  transformSync(code, { minify: true, target, ...(module ? { format: 'esm' } : {}) }).code;
main = minify(main);
loader = minify(loader);
emit(mainJs, main);
emit(loaderJs, loader);

// index.html: every `<link data-trunk …/>` becomes what it stands for.
const attr = (tag, name) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
const hashedCopy = (src, transform) => {
  const read = fs.readFileSync(path.join(root, src));
  const data = transform ? Buffer.from(transform(read.toString('utf8'))) : read;
  const ext = path.extname(src);
  return { name: emit(`${path.basename(src, ext)}-${hex16(data)}${ext}`, data), data };
};
let html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
// The head start asks for the paths the app asks for: both come from src/api/paths.rs.
const paths = Object.fromEntries([...fs.readFileSync(path.join(root, 'src/api/paths.rs'), 'utf8')
  .matchAll(/^pub const ([A-Z_]+): &str = "([^"]*)";$/gm)].map(([, name, value]) => [name, value]));
for (const name of ['CONFIG', 'REFRESH', 'REFRESH_LOCK', 'KEYS']) if (!paths[name]) fail(`src/api/paths.rs has no ${name}`);
html = replaceAll(html, '/* paths */ null', JSON.stringify(paths), 'index.html');
html = replaceAll(html, '/* wasm */ null', JSON.stringify({ url: `/${mainWasm}`, integrity: sri(wasm) }), 'index.html');
html = replaceAll(html, '<base data-trunk-public-url />', '<base href="/" />', 'index.html');
html = html.replace(/<link data-trunk [^>]*\/>/g, (tag) => {
  const rel = attr(tag, 'rel');
  const href = attr(tag, 'href');
  switch (rel) {
    case 'icon': {
      const { name, data } = hashedCopy(href);
      return `<link rel="icon" href="/${name}" type="${attr(tag, 'type')}" integrity="${sri(data)}" />`;
    }
    case 'css': {
      const { name, data } = hashedCopy(href, (css) => transformSync(css, { loader: 'css', minify: true }).code);
      return `<link rel="stylesheet" href="/${name}" integrity="${sri(data)}" />`;
    }
    case 'copy-file':
      fs.copyFileSync(path.join(root, href), path.join(out, path.basename(href)));
      return '';
    case 'rust':
      return [
        `<link rel="modulepreload" href="/${mainJs}" crossorigin="anonymous" integrity="${sri(main)}" />`,
        `<link rel="modulepreload" href="/${loaderJs}" crossorigin="anonymous" integrity="${sri(loader)}" />`,
        // The wasm itself is fetched by the head start (index.html says why).
        '<script type="module">',
        'try {',
        '  const boot = window.__consoleBoot || {};',
        '  const { wasm: fetched, asked } = boot;',
        '  delete boot.wasm;',
        '  delete boot.asked;',
        // Compiling (or taking the module from V8's cache on a repeat visit) needs the main thread
        // little, so it starts as soon as the wasm is here (all of it: a fetch with a digest
        // answers once the digest is checked), not after the wait below. A response the
        // streaming compiler would refuse goes to the bindings as it is: they report an error
        // status, and read the bytes whole of any type but exactly `application/wasm` (the
        // compiler refuses parameters such as a charset).
        "  const streamable = (r) => r.ok && typeof WebAssembly.compileStreaming === 'function' && r.headers.get('Content-Type')?.trim().toLowerCase() === 'application/wasm';",
        '  const compiled = fetched?.then((r) => (streamable(r) ? WebAssembly.compileStreaming(r) : r));',
        '  compiled?.catch(() => {});',
        // Starting the wasm is one long task on the main thread, and the session refresh is
        // sent from a task of its own once the browser grants its lock (and, for another base,
        // once config.json is read), so it would wait behind the start. So the start waits until
        // the refresh the app will use is out, or 1 s at most should config.json or the lock
        // hang (their deadlines and errors are the app's). Measured in docs/performance.md.
        '  await Promise.race([asked, new Promise((done) => setTimeout(done, 1000))]);',
        `  const bindings = await import('/${mainJs}');`,
        `  const wasm = await bindings.default({ module_or_path: (await compiled) || '/${mainWasm}' });`,
        // The benchmark reads the allocator's counter and the wasm memory through these.
        ...(bench ? ['  window.wasmBindings = bindings;', "  dispatchEvent(new CustomEvent('console-started', { detail: { wasm } }));"] : []),
        '} catch (error) {',
        // Without this the skeleton would stay up for good: say what happened and how to go on
        // (the panel of index.html's watcher).
        "  window.__consoleStopped?.('load-failed', 'The console could not load', 'Its code could not be fetched or started. Check the connection and reload. The console needs a current browser: WebAssembly with SIMD (Chrome or Edge 91, Firefox 89, Safari 16.4 or later).', 'Reload the page');",
        '  throw error;',
        '}',
        '</script>',
      ].join('\n    ');
    default:
      return fail(`index.html: no rule for <link data-trunk rel="${rel}">`);
  }
});
if (html.includes('data-trunk')) fail('index.html: a data-trunk tag is left over');
// Comments are for readers of the template, not for every visitor.
html = html.replace(/\s*<!--[\s\S]*?-->/g, '');
// The inline scripts minified too (the head start, the crash panel's and the loader). The
// platform, like any server of this bundle, hashes them as served for its Content-Security-Policy.
html = html.replace(/(<script(?: type="module")?>)([\s\S]*?)(<\/script>)/g, (_, open, code, close) => {
  const module = open.includes('module');
  return `${open}${minify(code, { module, target: module ? 'es2022' : 'es2020' }).trim()}${close}`;
});
emit('index.html', html);
console.log(`bundle: ${out} (build ${id}; first load ${mainJs}, ${mainWasm}; ${chunks.length} chunks)`);
