// The clientside-services page (issue #26) through the app: served without credentials at Stytch's
// path, frameable, its script and the phone-number library it imports. What the page answers is
// proven in Chromium with the real SDK bundle (test/browser/phone-ui.test.ts). Every response is
// checked against openapi.yaml.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const LIBRARY = readFileSync(
  join(
    dirname(createRequire(import.meta.url).resolve('awesome-phonenumber/package.json')),
    'index-esm.mjs',
  ),
  'utf8',
)

describe('the clientside-services page', () => {
  it('is served at the path the SDK loads from js.stytch.com, without credentials', async () => {
    for (const auth of [false as const, basicHeader(t.config.projectId, 'wrong-secret')]) {
      const res = await t.call('GET', '/clientside-services/index.html', {
        auth,
        headers: { origin: ORIGIN },
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      // Its one script, loaded blocking so its listener is there before the iframe's load event.
      expect([...(res.body as string).matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
        '<script src="index.js">',
      ])
    }
  })

  it('may be framed by any app, runs only its own scripts and calls nothing', async () => {
    const res = await t.call('GET', '/clientside-services/index.html', { auth: false })
    const csp = res.headers.get('content-security-policy')!
    expect(csp.split('; ').sort()).toEqual(["default-src 'none'", "script-src 'self'"])
    expect(res.headers.get('x-frame-options')).toBeNull()
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('serves its script, which imports the library from beside it on first use', async () => {
    const res = await t.call('GET', '/clientside-services/index.js', { auth: false })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const script = res.body as string
    // A classic script (not a module): it parses as one.
    expect(() => new Script(script)).not.toThrow()
    expect(script).toContain("import('./awesome-phonenumber.mjs')")
    for (const method of ['parsedPhoneNumber', 'getExamplePhoneNumber'])
      expect(script).toContain(`['${method}', async`)
    for (const method of ['oneTapStart', 'oneTapSubmit'])
      expect(script).toContain(`['${method}', oneTapNotEmulated]`)
  })

  it("serves awesome-phonenumber's browser build as it is in node_modules", async () => {
    const res = await t.call('GET', '/clientside-services/awesome-phonenumber.mjs', {
      auth: false,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.body).toBe(LIBRARY)
    expect(LIBRARY).toMatch(/export \{[^}]*\bparsePhoneNumber,[^}]*\}/)
    expect(LIBRARY).not.toMatch(/^import /m)
  })

  it('has nothing else: another file is 404 route_not_found', async () => {
    for (const path of ['/clientside-services/', '/clientside-services/index.mjs']) {
      const res = await t.call('GET', path, { auth: false })
      expect(res.status).toBe(404)
      expect(res.body.error_type).toBe('route_not_found')
    }
  })
})
