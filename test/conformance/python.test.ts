// The official Python SDK (pinned in python/requirements.txt, installed from PyPI into a cached
// virtualenv) against the mock over HTTPS, trusting the local CA as a Python user would.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'

const run = promisify(execFile)
const here = join(packageRoot(), 'test/conformance/python')
const venv = join(packageRoot(), 'node_modules/.cache/stytch-mock/python-venv')
const CHECKS = [
  'authenticate by session_token',
  'authenticate_jwt_local against the JWKS',
  'expired JWT falls back to the API after the clock moves 301 s',
  'revoke, then session_not_found',
  'B2B authenticate and exchange',
  'errors surface as StytchError with the error_type',
  'http escape hatch: environment=<http URL>',
]

let mock: Listening
const results = new Map<string, { ok: boolean; detail: string; trace?: string }>()

/** A virtualenv with the pinned requirements; rebuilt when requirements.txt changes. A missing PyPI fails loudly. */
async function ensureVenv(): Promise<string> {
  const requirements = readFileSync(join(here, 'requirements.txt'), 'utf8')
  const stamp = join(venv, 'requirements.sha256')
  const digest = createHash('sha256').update(requirements).digest('hex')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    mkdirSync(venv, { recursive: true })
    await run('python3', ['-m', 'venv', '--clear', venv])
    await run(
      join(venv, 'bin/pip'),
      ['install', '--quiet', '--disable-pip-version-check', '-r', join(here, 'requirements.txt')],
      { timeout: 300_000 },
    )
    writeFileSync(stamp, digest)
  }
  return join(venv, 'bin/python')
}

beforeAll(async () => {
  const python = await ensureVenv()
  const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-python-'))
  mock = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: '0', STYTCH_MOCK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  )
  const env = {
    PATH: process.env.PATH ?? '',
    STYTCH_PROJECT_ID: mock.config.projectId,
    STYTCH_SECRET: mock.config.secret,
    STYTCH_MOCK_URL: mock.url,
    STYTCH_MOCK_HTTPS_URL: mock.httpsUrl!,
    // requests (the API calls) reads REQUESTS_CA_BUNDLE; urllib (PyJWT's JWKS fetch) reads SSL_CERT_FILE.
    REQUESTS_CA_BUNDLE: mock.caFile!,
    SSL_CERT_FILE: mock.caFile!,
  }
  const out = await run(python, [join(here, 'conformance.py')], { env, timeout: 120_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`conformance.py did not run: ${err.stderr}`)
      return { stdout: err.stdout }
    },
  )
  for (const line of out.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { check: string; ok: boolean; detail: string; trace?: string }
    results.set(r.check, r)
  }
}, 400_000)
afterAll(() => mock?.close())

describe('the official Python SDK (stytch on PyPI)', () => {
  it.each(CHECKS)('%s', (name) => {
    const r = results.get(name)
    expect(r, `no result for "${name}"`).toBeDefined()
    expect(r!.ok, `${r!.detail}\n${r!.trace ?? ''}`).toBe(true)
  })

  it('ran exactly the checks listed here', () => {
    expect([...results.keys()]).toEqual(CHECKS)
  })
})
