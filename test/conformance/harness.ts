// Shared by the per-language conformance suites: a mock with HTTPS on a temporary CA, and the
// language's program run against it, one JSON line per check.
import { execFile } from 'node:child_process'
import { createPrivateKey } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'

export const run = promisify(execFile)
export const cacheDir = join(packageRoot(), 'node_modules/.cache/stytch-mock')

export interface CheckResult {
  check: string
  ok: boolean
  detail: string
  trace?: string
}

/** The mock on free ports; `env` adds to (or overrides) its configuration. */
export async function startHttpsMock(
  env: Record<string, string> = {},
): Promise<Listening & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-conformance-'))
  const mock = await listen(
    loadConfig({
      PORT: '0',
      HTTPS_PORT: '0',
      STYTCH_MOCK_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...env,
    }),
  )
  return Object.assign(mock, { dataDir })
}

export const TRUSTED_PROFILE = {
  profile_id: 'conformance-trusted-profile',
  issuer: 'https://idp.conformance.example',
  audience: 'stytch-mock-conformance',
}

/**
 * What sessions.attest and sessions.migrate need around the mock: a fixtures folder (the shipped
 * consumer.json and b2b.json, plus a Trusted Auth Token profile with a fresh RSA public key) and
 * an OIDC userinfo endpoint on a loopback port (`migratedEmail` for `Bearer old-token`, 401
 * otherwise). `mockConfig` goes to startHttpsMock, `programEnv` to the program (the profile and
 * the private key that signs its JWT).
 */
export async function externalSessions(migratedEmail: string): Promise<{
  mockConfig: Record<string, string>
  programEnv: Record<string, string>
  close: () => Promise<void>
}> {
  const { generateKeyPair, exportSPKI, exportPKCS8 } = await import('jose')
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
  const folder = mkdtempSync(join(tmpdir(), 'stytch-mock-conformance-fixtures-'))
  for (const f of ['consumer.json', 'b2b.json'])
    copyFileSync(join(packageRoot(), 'fixtures', f), join(folder, f))
  writeFileSync(
    join(folder, 'profiles.json'),
    JSON.stringify({
      trusted_auth_token_profiles: [
        {
          ...TRUSTED_PROFILE,
          public_key_pems: [await exportSPKI(publicKey)],
          attribute_mapping: { email: 'email', token_id: 'jti' },
        },
      ],
    }),
  )
  const userinfo = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer old-token'
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(JSON.stringify(ok ? { email: migratedEmail } : { error: 'invalid_token' }))
  })
  await new Promise<void>((resolve) => userinfo.listen(0, '127.0.0.1', resolve))
  const { port } = userinfo.address() as AddressInfo
  const pkcs8 = await exportPKCS8(privateKey)
  return {
    mockConfig: {
      STYTCH_MOCK_FIXTURES: folder,
      STYTCH_MOCK_SESSION_MIGRATION_URL: `http://127.0.0.1:${port}/userinfo`,
    },
    programEnv: {
      TRUSTED_PROFILE_ID: TRUSTED_PROFILE.profile_id,
      TRUSTED_ISSUER: TRUSTED_PROFILE.issuer,
      TRUSTED_AUDIENCE: TRUSTED_PROFILE.audience,
      TRUSTED_PRIVATE_KEY_PEM: pkcs8,
      // The same key as PKCS#1 DER in hex: what jsonwebtoken's EncodingKey::from_rsa_der takes
      // (its PEM parsing is a feature outside the Rust program's dependency tree).
      TRUSTED_PRIVATE_KEY_PKCS1_HEX: (
        createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'der' }) as Buffer
      ).toString('hex'),
      MIGRATED_EMAIL: migratedEmail,
    },
    close: async () => {
      await new Promise<void>((resolve) => userinfo.close(() => resolve()))
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

/** What the program needs to find the mock (its own trust settings come on top). */
export const mockEnv = (mock: Listening) => ({
  PATH: process.env.PATH ?? '',
  STYTCH_PROJECT_ID: mock.config.projectId,
  STYTCH_SECRET: mock.config.secret,
  STYTCH_MOCK_URL: mock.url,
  STYTCH_MOCK_HTTPS_URL: mock.httpsUrl!,
  STYTCH_B2B_PUBLIC_TOKEN: mock.config.b2bPublicToken,
})

/** Runs a conformance program; its exit code is ignored, its JSON lines are the results. */
export async function runChecks(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<Map<string, CheckResult>> {
  const out = await run(command, args, { env, timeout: 180_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`${command} did not run: ${err.stderr}`)
      return { stdout: err.stdout }
    },
  )
  const results = new Map<string, CheckResult>()
  for (const line of out.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as CheckResult
    results.set(r.check, r)
  }
  return results
}

/** One test per expected check, and one that no check went missing or unlisted. */
export function itPasses(checks: string[], results: () => Map<string, CheckResult>): void {
  it.each(checks)('%s', (name) => {
    const r = results().get(name)
    expect(r, `no result for "${name}"`).toBeDefined()
    expect(r!.ok, `${r!.detail}\n${r!.trace ?? ''}`).toBe(true)
  })
  it('ran exactly the checks listed here', () => {
    expect([...results().keys()]).toEqual(checks)
  })
}
