// The build's generated files, written whole: a temporary file beside the target, then renamed
// over it. Tests run from source read them (the precompiled validators, the list of valid
// fixtures) while another test rebuilds (test/process.test.ts): a reader must see the old file or
// the new one, never half of one.
import { renameSync, writeFileSync } from 'node:fs'

export function writeWhole(path, text) {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}
