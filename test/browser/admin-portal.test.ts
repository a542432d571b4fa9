// exploratory (lead): what Stytch's pre-built admin portal calls
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { openBrowser, startMock } from './harness.js'
import { serveApp, watch } from './ui-harness.js'

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
let mock: Awaited<ReturnType<typeof startMock>>
let browser: Awaited<ReturnType<typeof openBrowser>>
let app: Awaited<ReturnType<typeof serveApp>>
beforeAll(async () => {
  mock = await startMock()
  browser = await openBrowser()
  app = await serveApp(() => ({
    '/b2b.js': ['text/javascript', bundle('b2b/index.headless.js') + '\nwindow.B2B = stytch'],
    '/admin.js': ['text/javascript', bundle('adminPortal/index.js') + '\nwindow.Admin = stytch'],
    '/admin.html': [
      'text/html',
      `<!doctype html><html><head><meta charset="utf-8"><script src="/b2b.js"></script><script src="/admin.js"></script></head>
<body><div id="admin"></div><script>
const client = new B2B.StytchB2BHeadlessClient(${JSON.stringify(mock.config.b2bPublicToken)}, { endpoints: { testAPIURL: ${JSON.stringify(mock.base)}, liveAPIURL: ${JSON.stringify(mock.base)} } })
window.client = client
Admin.mountAdminPortal${process.env.WHICH ?? 'MemberManagement'}({ client, element: '#admin' })
</script></body></html>`,
    ],
  }))
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
  await mock?.close()
})
it('explores', async () => {
  const seen = await watch(browser, app, mock)
  await browser.context.addCookies([
    { name: 'stytch_session', value: FIXTURE.graceToken, domain: 'localhost', path: '/' },
  ])
  await browser.page.goto(`${app.origin}/admin.html`)
  await new Promise((r) => setTimeout(r, 4000))
  console.log(
    JSON.stringify(
      seen.mock.map((m) => `${m.status} ${m.method} ${m.path}`),
      null,
      1,
    ),
  )
  console.log(seen.errors.join('\n'))
  console.log((await browser.page.textContent('body'))?.slice(0, 1500))
  await browser.page.screenshot({ path: '/tmp/i24/admin.png' })
}, 60_000)
