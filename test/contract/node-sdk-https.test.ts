// The Node SDK with custom_base_url over HTTPS, trusting the mock's local CA the way a user would:
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up, so the SDK runs in a child process.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { sdkOverHttps } from '../helpers/sdk-child.js'
import { FIXTURE } from '../helpers/world.js'

let mock: Listening
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-tls-'))
  mock = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: '0', STYTCH_MOCK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  )
})
afterAll(() => mock.close())

const sdk = (caFile: string) =>
  sdkOverHttps({
    baseUrl: mock.httpsUrl!,
    projectId: mock.config.projectId,
    secret: mock.config.secret,
    sessionToken: FIXTURE.adaToken,
    caFile,
  })

describe('HTTPS with the local CA', () => {
  it('serves the CA at /_mock/ca.pem and writes it to the data folder', async () => {
    expect(mock.caFile).toBe(join(dataDir, 'ca.pem'))
    const res = await fetch(`${mock.url}/_mock/ca.pem`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(readFileSync(mock.caFile!, 'utf8'))
  })

  it('the Node SDK with custom_base_url and NODE_EXTRA_CA_CERTS authenticates and verifies JWTs over TLS', async () => {
    expect(await sdk(mock.caFile!)).toEqual({
      user: FIXTURE.adaUserId,
      jwtSession: FIXTURE.adaSessionId,
      local: FIXTURE.adaUserId,
    })
  })

  it('without trusting the CA the SDK cannot connect (the certificate really is checked)', async () => {
    await expect(sdk('')).rejects.toMatchObject({ code: 3 })
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
