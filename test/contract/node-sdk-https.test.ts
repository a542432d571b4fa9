// The Node SDK with custom_base_url over HTTPS, trusting the mock's local CA the way a user would:
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up, so the SDK runs in a child process.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { FIXTURE } from '../helpers/world.js'

const run = promisify(execFile)
let mock: Listening
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-tls-'))
  mock = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: '0', STYTCH_MOCK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  )
})
afterAll(() => mock.close())

const SCRIPT = `
const stytch = require('stytch')
const [baseUrl, projectId, secret, token] = process.argv.slice(1)
const client = new stytch.Client({ project_id: projectId, secret, custom_base_url: baseUrl })
;(async () => {
  const auth = await client.sessions.authenticate({ session_token: token })
  const jwt = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt })
  const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })
  console.log(JSON.stringify({ user: auth.user.user_id, jwtSession: jwt.session.session_id, local: local.user_id }))
})().catch((e) => { console.error(String(e && e.message || e)); process.exit(3) })
`

const sdk = (env: Record<string, string>) =>
  run(
    process.execPath,
    ['-e', SCRIPT, mock.httpsUrl!, mock.config.projectId, mock.config.secret, FIXTURE.adaToken],
    {
      env: { ...process.env, ...env },
    },
  )

describe('HTTPS with the local CA', () => {
  it('serves the CA at /_mock/ca.pem and writes it to the data folder', async () => {
    expect(mock.caFile).toBe(join(dataDir, 'ca.pem'))
    const res = await fetch(`${mock.url}/_mock/ca.pem`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(readFileSync(mock.caFile!, 'utf8'))
  })

  it('the Node SDK with custom_base_url and NODE_EXTRA_CA_CERTS authenticates and verifies JWTs over TLS', async () => {
    const { stdout } = await sdk({ NODE_EXTRA_CA_CERTS: mock.caFile! })
    expect(JSON.parse(stdout)).toEqual({
      user: FIXTURE.adaUserId,
      jwtSession: FIXTURE.adaSessionId,
      local: FIXTURE.adaUserId,
    })
  })

  it('without trusting the CA the SDK cannot connect (the certificate really is checked)', async () => {
    const env = { NODE_EXTRA_CA_CERTS: '' }
    await expect(sdk(env)).rejects.toMatchObject({ code: 3 })
  })

  it('reuses the CA and certificate across restarts', async () => {
    const first = readFileSync(mock.caFile!, 'utf8')
    const again = await listen(
      loadConfig({
        PORT: '0',
        HTTPS_PORT: '0',
        STYTCH_MOCK_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      }),
    )
    try {
      expect(readFileSync(again.caFile!, 'utf8')).toBe(first)
    } finally {
      await again.close()
    }
  })
})
