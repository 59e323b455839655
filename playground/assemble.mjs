// Puts the playground page together as one self-contained HTML file: the page, its style and
// script, wasm-bindgen's glue, the WebAssembly (gzipped by build.sh, as base64; the page
// unzips it with DecompressionStream) and every shipped scenario as an example.
// Usage: node playground/assemble.mjs PKG_DIR SCENARIOS_DIR OUT.html
import { readFileSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [pkg, scenarios, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node assemble.mjs PKG_DIR SCENARIOS_DIR OUT.html');
  process.exit(2);
}
const here = join(dirname(fileURLToPath(import.meta.url)), 'page');
const read = (path) => readFileSync(path, 'utf8');
const wasm = readFileSync(join(pkg, 'chainrule_playground_bg.wasm'));
const zipped = readFileSync(join(pkg, 'chainrule_playground_bg.wasm.gz'));
if (!gunzipSync(zipped).equals(wasm)) throw new Error('the gzipped WebAssembly is not the WebAssembly');
const examples = {};
for (const name of readdirSync(scenarios).sort()) {
  if (!name.startsWith('.')) examples[name] = read(join(scenarios, name));
}
// `</` cannot close the script from inside a string: JSON.stringify keeps `<\/` as written.
const json = JSON.stringify(examples).replace(/<\//g, '<\\/');
const parts = {
  '/*STYLE*/': read(join(here, 'style.css')),
  '/*GLUE*/': read(join(pkg, 'chainrule_playground.js')),
  '/*WASM*/': zipped.toString('base64'),
  '/*EXAMPLES*/': json,
  '/*APP*/': read(join(here, 'app.js')),
};
let page = read(join(here, 'page.html'));
for (const [marker, text] of Object.entries(parts)) {
  if (!page.includes(marker)) throw new Error(`page.html lacks ${marker}`);
  page = page.replace(marker, () => text);
}
writeFileSync(out + '.tmp', page);
renameSync(out + '.tmp', out);
console.log(`${out}: ${page.length} bytes (WebAssembly ${wasm.length} bytes, ${zipped.length} gzipped)`);
