// Bundles each editor island into one minified ES module under public/generated/editors/,
// which cargo-leptos copies into the site. Run by scripts/setup.sh (`node editors/build.mjs`).
// Issue 7's code editor adds its entry to ENTRIES.
import { build } from 'esbuild'
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outdir = join(here, '..', 'public', 'generated', 'editors')

/** Output name (without .js) → entry module. */
const ENTRIES = {
  'docs-editor': 'src/docs-editor.js',
  'code-editor': 'src/code-editor.js'
}

mkdirSync(outdir, { recursive: true })
await build({
  absWorkingDir: here,
  entryPoints: Object.entries(ENTRIES).map(([out, entry]) => ({ out, in: entry })),
  outdir,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning'
})

for (const out of Object.keys(ENTRIES)) {
  const bytes = readFileSync(join(outdir, `${out}.js`))
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`
  console.error(`[editors] ${out}.js: ${kb(bytes.length)} raw, ${kb(gzipSync(bytes, { level: 9 }).length)} gzip`)
}
// Swagger UI for /api-docs, copied as published (already minified) so it is served from 'self'
// and works offline; the page's start-up code is public/api-docs.js.
const swaggerOut = join(here, '..', 'public', 'generated', 'swagger')
mkdirSync(swaggerOut, { recursive: true })
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
  copyFileSync(join(here, 'node_modules', 'swagger-ui-dist', file), join(swaggerOut, file))
}

// scripts/setup.sh rebuilds only when a source or the lockfile is newer than this stamp.
writeFileSync(join(outdir, '.built'), new Date().toISOString() + '\n')
