// Build step: compiles fixtures/fixtures.schema.json into a standalone validator (ajv's standalone
// code), so start-up does not pay for loading ajv and compiling the schema (~50 ms).
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { _ } from 'ajv/dist/compile/codegen/index.js'
import addFormats from 'ajv-formats'

const text = readFileSync('fixtures/fixtures.schema.json', 'utf8')
const ajv = new Ajv2020({
  allErrors: true,
  code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
})
addFormats.default(ajv)
const code = standaloneCode.default(ajv, ajv.compile(JSON.parse(text)))
const hash = createHash('sha256').update(text).digest('hex')
writeFileSync(
  'dist/server/platform/sessions/fixtures.validate.cjs',
  `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(hash)};\n`,
)
console.log('compiled dist/server/platform/sessions/fixtures.validate.cjs')
