// A body over the limit is answered 413, and a keep-alive client's next request on the same
// connection pool still succeeds: the server closes the connection honestly (Connection: close)
// instead of dropping a socket the client believes is reusable.
import * as stytch from 'stytch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../server/platform/http/request.js'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { FIXTURE } from '../helpers/world.js'

let mock: Listening
let basic: string
beforeAll(async () => {
  mock = await listen(loadConfig({ PORT: '0', HTTPS_PORT: 'off', LOG_LEVEL: 'silent' }))
  basic =
    'Basic ' + Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')
})
afterAll(() => mock.close())

const authenticate = (body: string) =>
  fetch(`${mock.url}/v1/sessions/authenticate`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body,
  })

describe('an oversized body', () => {
  it('is answered 413 with Connection: close, and the next keep-alive request succeeds (undici fetch)', async () => {
    const huge = JSON.stringify({
      session_token: FIXTURE.adaToken,
      padding: 'x'.repeat(MAX_BODY_BYTES + 1),
    })
    for (let round = 0; round < 5; round++) {
      const tooLarge = await authenticate(huge)
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.headers.get('connection')).toBe('close')
      expect((await tooLarge.json()).error_type).toBe('request_too_large')
      const next = await authenticate(JSON.stringify({ session_token: FIXTURE.adaToken }))
      expect(next.status).toBe(200)
      await next.arrayBuffer()
    }
  })

  it('chunked, with no Content-Length: 413 before the whole body is read, and the server serves on', async () => {
    let sent = 0
    const chunk = new Uint8Array(64 * 1024).fill(0x61)
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length
        if (sent > 20 * 1024 * 1024) controller.close()
        else controller.enqueue(chunk)
      },
    })
    const res = await fetch(`${mock.url}/v1/sessions/authenticate`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(res.headers.get('connection')).toBe('close')
    expect((await res.json()).error_type).toBe('request_too_large')
    expect(sent).toBeLessThan(20 * 1024 * 1024)
    const next = await authenticate(JSON.stringify({ session_token: FIXTURE.adaToken }))
    expect(next.status).toBe(200)
  })

  it('through the official Node SDK: a StytchError, then the next call works', async () => {
    const client = new stytch.Client({
      project_id: mock.config.projectId,
      secret: mock.config.secret,
      env: `${mock.url}/`,
    })
    for (let round = 0; round < 3; round++) {
      await expect(
        client.sessions.authenticate({
          session_token: FIXTURE.adaToken,
          session_custom_claims: { padding: 'x'.repeat(MAX_BODY_BYTES) },
        }),
      ).rejects.toMatchObject({ status_code: 413, error_type: 'request_too_large' })
      const ok = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
      expect(ok.user.user_id).toBe(FIXTURE.adaUserId)
    }
  })
})
