// A Python virtualenv with pinned requirements (PyPI), made once and made again only when the
// requirements file changes; the official Python SDK's conformance suite and the Schemathesis
// suite share it. A missing PyPI fails loudly.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The venv's folder, made from requirements (a file path) if it is new or stale. */
export async function ensureVenv(venv: string, requirements: string, label: string) {
  const wanted = readFileSync(requirements, 'utf8')
  const stamp = join(venv, 'requirements.sha256')
  const digest = createHash('sha256').update(wanted).digest('hex')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    console.log(`${label}: a virtualenv from PyPI in ${venv} (first run only)`)
    mkdirSync(venv, { recursive: true })
    await run('python3', ['-m', 'venv', '--clear', venv])
    await run(
      join(venv, 'bin/pip'),
      ['install', '--quiet', '--disable-pip-version-check', '-r', requirements],
      { timeout: 300_000 },
    )
    writeFileSync(stamp, digest)
  }
  return venv
}
