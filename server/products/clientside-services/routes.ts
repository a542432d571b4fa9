// The clientside-services page, where @stytch/vanilla-js looks for it on js.stytch.com
// (/clientside-services/index.html), its script, and the phone-number library the script loads.
// Public (a browser loads them into an iframe), not the API: not journaled, no faults.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import type { AppEnv } from '../../platform/http/env.js'
import { LIBRARY_FILE, PAGE, SCRIPT } from './page.js'

const PAGE_PATH = '/clientside-services/index.html'

/**
 * Any site may frame the page (the SDK puts it in the app's page); it runs only its own scripts
 * and calls nothing.
 */
const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'",
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
}
const JAVASCRIPT = { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8' }

/** awesome-phonenumber's browser build (one self-contained ES module), read on first request. */
let library: string | undefined
const libraryText = () => {
  const manifest = createRequire(import.meta.url).resolve('awesome-phonenumber/package.json')
  return (library ??= readFileSync(join(dirname(manifest), 'index-esm.mjs'), 'utf8'))
}

export function clientsideServicesRoutes() {
  const app = new Hono<AppEnv>()
  app.get(PAGE_PATH, (c) => c.html(PAGE, 200, HEADERS))
  app.get('/clientside-services/index.js', (c) => c.body(SCRIPT, 200, JAVASCRIPT))
  app.get(`/clientside-services/${LIBRARY_FILE}`, (c) => c.body(libraryText(), 200, JAVASCRIPT))
  return { public: app }
}
