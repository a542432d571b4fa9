// Build step: compiles fixtures/fixtures.schema.json into a standalone validator (ajv's standalone
// code), so start-up does not pay for loading ajv and compiling the schema (~50 ms).
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { _ } from 'ajv/dist/compile/codegen/index.js'
import addFormats from 'ajv-formats'
import { writeWhole } from './write-whole.mjs'

const text = readFileSync('fixtures/fixtures.schema.json', 'utf8')
const ajv = new Ajv2020({
  allErrors: true,
  code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
})
addFormats.default(ajv)
const validate = ajv.compile(JSON.parse(text))
const code = standaloneCode.default(ajv, validate)
const sha256 = (t) => createHash('sha256').update(t).digest('hex')
const hash = sha256(text)
writeWhole(
  'dist/server/platform/sessions/fixtures.validate.cjs',
  `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(hash)};\n`,
)
// The bundled fixtures, checked here once: start-up need not load the validator for them.
const bundled = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .map((f) => readFileSync(join('fixtures', f), 'utf8'))
  .filter((t) => validate(JSON.parse(t)))
writeWhole(
  'dist/server/platform/sessions/fixtures.valid.json',
  JSON.stringify({ schemaSha256: hash, valid: bundled.map(sha256) }),
)
console.log('compiled dist/server/platform/sessions/fixtures.validate.cjs and fixtures.valid.json')
