// Writes NAME.br and NAME.gz beside each asset of a built bundle, as a CDN would serve them
// (brotli quality 11, gzip level 9). The dev platform serves them to clients that accept them.
// config.json is left alone: operators edit it after the build.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2];
if (!dir) { console.error('usage: node scripts/precompress.mjs DIR'); process.exit(2); }
for (const name of fs.readdirSync(dir)) {
  if (!/\.(wasm|js|css|html|svg)$/.test(name)) continue;
  const file = path.join(dir, name);
  const raw = fs.readFileSync(file);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(raw, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
}
