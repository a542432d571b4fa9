// A real Chromium (Debian's, driven by playwright-core), a page served on localhost that loads the
// unmodified @stytch/vanilla-js bundle, and the mock on another localhost port.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const page = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock e2e</title><script src="/${script}"></script></head><body>e2e</body></html>`

/** The app under test: two pages, one per SDK client (both bundles define the `stytch` global). */
export async function startApp(): Promise<{ origin: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/consumer.html': ['text/html', page('consumer.js')],
    '/b2b.html': ['text/html', page('b2b.js')],
    '/consumer.js': ['text/javascript', bundle('index.headless.js')],
    '/b2b.js': ['text/javascript', bundle('b2b/index.headless.js')],
  }
  const server: Server = createServer((req, res) => {
    const file = files[req.url ?? '']
    if (!file) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file[0] }).end(file[1])
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}

export async function startMock(
  env: Record<string, string> = {},
): Promise<Listening & { base: string }> {
  const running = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: 'off', LOG_LEVEL: 'silent', ...env }),
  )
  // Same host name as the page: cookies the mock sets are then same-site with it.
  return { ...running, base: running.url.replace('127.0.0.1', 'localhost') }
}

export async function openBrowser(): Promise<{
  context: BrowserContext
  page: Page
  logs: string[]
  close(): Promise<void>
}> {
  const profile = mkdtempSync(join(tmpdir(), 'stytch-mock-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  })
  context.setDefaultTimeout(15_000)
  const page = context.pages()[0] ?? (await context.newPage())
  const logs: string[] = []
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`))
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`))
  return {
    context,
    page,
    logs,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Calls the mock's backend or control API from the test (Node) side. */
export function api(mock: Listening) {
  const auth =
    'Basic ' + Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')
  return async (path: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
}
