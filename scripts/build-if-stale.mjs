// `npm start` runs this first: it builds dist/ only when a source is newer than the last build,
// so a second start does not pay for tsc (~3.5 s). `npm run build` always builds.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const STAMP = 'dist/.build-stamp'
const INPUTS = [
  'server',
  'scripts/compile-fixture-schema.mjs',
  'scripts/compile-request-schemas.mjs',
  'scripts/bundle-cli.mjs',
  'openapi.yaml',
  'fixtures/fixtures.schema.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
]

/** The newest modification time in a file or folder (a folder's own time covers deletions). */
function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : -Infinity
if (Math.max(...INPUTS.map(newest)) >= built) {
  // npm_execpath: the npm that runs `npm start`, so the build uses the same one.
  const npm = process.env.npm_execpath
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: true })
  if (result.status !== 0) process.exit(result.status ?? 1)
  mkdirSync('dist', { recursive: true })
  writeFileSync(STAMP, `${new Date().toISOString()}\n`)
}
