// Build step: compiles the request rules of openapi.yaml (every operation's body, query and path
// parameter schemas) into standalone validators (ajv's standalone code), so the server neither
// loads ajv nor compiles a schema at start-up or on a first call. Run after tsc: it reads the
// rules with the server's own dist/server/platform/http/spec-schemas.js.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { _ } from 'ajv/dist/compile/codegen/index.js'
import addFormats from 'ajv-formats'
import { transformSync } from 'esbuild'
import { parse } from 'yaml'
import { operationSchemas } from '../dist/server/platform/http/spec-schemas.js'
import { writeWhole } from './write-whole.mjs'

const OUT = 'dist/server/platform/http/request-validators.cjs'
const text = readFileSync('openapi.yaml', 'utf8')
const operations = operationSchemas(parse(text))

/** One ajv per coercion mode (query and path values are strings), each compiled to a module. */
function compile(coerceTypes, schemas) {
  const ajv = new Ajv2020({
    strict: false,
    coerceTypes,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  })
  addFormats.default(ajv)
  const exports = {}
  for (const [name, schema] of schemas) {
    ajv.addSchema(schema, name)
    exports[name] = name
  }
  return standaloneCode.default(ajv, exports)
}

const bodies = []
const params = []
const index = {}
operations.forEach((op, i) => {
  const entry = {
    form: op.body?.form ?? false,
    json: op.body?.json ?? false,
    booleanQuery: op.booleanQuery,
  }
  if (op.body) bodies.push([`b${i}`, op.body.schema]) && (entry.body = `b${i}`)
  if (op.query) params.push([`q${i}`, op.query]) && (entry.query = `q${i}`)
  if (op.path) params.push([`p${i}`, op.path]) && (entry.path = `p${i}`)
  index[op.key] = { ...entry, annotations: op.annotations }
})

const wrap = (code) =>
  `(function () {\nconst module = { exports: {} };\nconst exports = module.exports;\n${code}\nreturn module.exports;\n})()`
// Minified: ajv's generated code is verbose, and the image carries this file (half its size saved).
const minified = (code) => transformSync(code, { minify: true, loader: 'js' }).code
writeWhole(
  OUT,
  minified(`'use strict';
const strict = ${wrap(compile(false, bodies))};
const coercing = ${wrap(compile(true, params))};
const index = ${JSON.stringify(index)};
const operations = {};
for (const [key, op] of Object.entries(index)) {
  operations[key] = {
    ...op,
    ...(op.body ? { body: strict[op.body] } : {}),
    ...(op.query ? { query: coercing[op.query] } : {}),
    ...(op.path ? { path: coercing[op.path] } : {}),
  };
}
module.exports = { sha256: ${JSON.stringify(createHash('sha256').update(text).digest('hex'))}, operations };
`),
)
console.log(`compiled ${OUT} (${operations.length} operations)`)
