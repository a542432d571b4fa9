// Build step: the command (dist/server/main.js, what `npm start`, `npx stytch-mock` and the image
// run) as one bundle instead of ~190 modules. Resolving and loading each module was most of the
// mock's start-up (#31). Code that only some requests need stays lazy: every dynamic import becomes
// a chunk of its own (dist/server/chunks/), loaded on first use. better-sqlite3 stays outside (a
// native addon), and so does what is named below. The library entry (dist/server/index.js,
// startStytchMock) is tsc's, unbundled.
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)

// Chunks of an earlier build would only pile up.
rmSync('dist/server/chunks', { recursive: true, force: true })

/** The names the server's own modules import from each built-in (`import { a, type B } from 'node:x'`). */
const importedNames = new Map()
for (const file of readdirSync('server', { recursive: true })) {
  if (!/\.tsx?$/.test(file)) continue
  const text = readFileSync(join('server', file), 'utf8')
  for (const [, names, from] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(node:[^']+)'/g)) {
    const set = importedNames.get(from) ?? new Set()
    for (const name of names.split(',')) {
      const bare = name
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+/)[0]
        .trim()
      if (bare) set.add(bare)
    }
    importedNames.set(from, set)
  }
}

/**
 * Node's built-in modules through require(), not import: importing one as ESM builds a facade
 * that reads every export once, loading what the mock never uses (node:crypto's facade alone
 * costs ~7 ms). A CommonJS require of a built-in costs next to nothing.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      // The shim's own require() is the real one; a dynamic import stays one (its namespace
      // would otherwise hold only a default export).
      args.namespace === 'builtin' || args.kind === 'dynamic-import'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    )
    // As an ES module naming the built-in's plain exports, not a CommonJS one: bundled CommonJS
    // is imported through a shim that defines a getter per export, and walking node:util's exports
    // loads its lazy parts (~4 ms at start-up). An accessor export is named only when the server
    // imports it by name, since naming one runs it; which exports are accessors varies with
    // Node's version (util.parseArgs is one on 22.14).
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const mod = require(args.path)
      const wanted = importedNames.get(args.path) ?? new Set()
      const plain = Object.getOwnPropertyNames(mod).filter(
        (key) =>
          /^[A-Za-z_$][\w$]*$/.test(key) &&
          key !== 'default' &&
          ('value' in Object.getOwnPropertyDescriptor(mod, key) || wanted.has(key)),
      )
      return {
        contents: [
          `const m = require(${JSON.stringify(args.path)})`,
          'export default m',
          ...plain.map((key) => `export const ${key} = m.${key}`),
        ].join('\n'),
        loader: 'js',
      }
    })
  },
}

await build({
  plugins: [builtinsByRequire],
  entryPoints: { main: 'server/main.ts' },
  outdir: 'dist/server',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Outside too: @peculiar/x509, whose CommonJS build loses its named exports when bundled (with
  // the polyfill it needs, reflect-metadata), which load only when a certificate is made; and, for
  // the same reason, zxcvbn-ts and hash-wasm, which load on the first password check; and
  // SimpleWebAuthn, which loads on the first passkey call and would double its size bundled; and
  // the SAML libraries (xml-crypto with its XML parser and XPath), loaded on the first SAML call.
  external: [
    'better-sqlite3',
    '@peculiar/x509',
    'reflect-metadata',
    '@zxcvbn-ts/core',
    '@zxcvbn-ts/language-common',
    '@zxcvbn-ts/language-en',
    'hash-wasm',
    '@simplewebauthn/server',
    'xml-crypto',
    '@xmldom/xmldom',
    'xpath',
  ],
  // tsc wrote dist/server/main.js first; the bundle takes its place.
  allowOverwrite: true,
  // Bundled CommonJS (ajv) calls require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
console.log('bundled dist/server/main.js')
