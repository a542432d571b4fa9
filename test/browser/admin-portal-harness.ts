// What the admin portal tests (admin-portal, admin-portal-sso, admin-portal-scim) share on top of
// ui-harness's browserSuite: an app of pages that each mount one component of the unmodified
// @stytch/vanilla-js bundle dist/iife/adminPortal/index.js on the B2B client of
// dist/iife/b2b/index.headless.js, logged in by the stytch_session cookie an app's backend would
// set; numbered full-page screenshots; members with sessions made by the mock's control API; and
// the portal's dialogs, sections and texts to wait for.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, expect } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { api } from './harness.js'
import { browserSuite, nodeClient, serveApp, slugOf } from './ui-harness.js'

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const B2B_BUNDLE = bundle('b2b/index.headless.js')
const ADMIN_BUNDLE = bundle('adminPortal/index.js')

export const random = () => Math.random().toString(36).slice(2, 10)

/** Console lines that are expected on any admin portal page, each with why. */
const EXPLAINED_CONSOLE: [RegExp, string][] = [
  [
    /^error: The pseudo class ":first-child" is potentially unsafe when doing server-side rendering\./,
    "Emotion's development-build notice about a selector in the admin portal's own styles (the bundle ships @emotion's development build); logged once as the portal's CSS is inserted, whatever the server",
  ],
]

/**
 * A file's suite, recorded in test/browser/artifacts/<artifacts>/, on an app whose `pages` map
 * each path to the code that mounts a component there (`Admin` is the admin portal bundle,
 * `client` the page's B2B client, also `window.client`); `files`: anything else it serves.
 */
export function adminPortalSuite(options: {
  artifacts: string
  title: string
  pages: (origin: string) => Record<string, string>
  files?: Record<string, [string, string]>
}) {
  const ui = browserSuite({
    artifacts: options.artifacts,
    app: (mock) => {
      const page = (mount: string) =>
        `<!doctype html><html><head><meta charset="utf-8"><title>${options.title}</title>
<link rel="icon" href="data:,">
<script src="/stytch-b2b.js"></script><script>window.B2B = stytch</script>
<script src="/stytch-admin-portal.js"></script><script>window.Admin = stytch</script></head>
<body><div id="admin"></div>
<script>
const API_BASE = ${JSON.stringify(mock.base)}
const client = new B2B.StytchB2BClient(${JSON.stringify(mock.config.b2bPublicToken)}, {
  endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE },
})
window.client = client
${mount}
</script></body></html>`
      return serveApp((origin) => ({
        '/stytch-b2b.js': ['text/javascript', B2B_BUNDLE],
        '/stytch-admin-portal.js': ['text/javascript', ADMIN_BUNDLE],
        ...Object.fromEntries(
          Object.entries(options.pages(origin)).map(([path, mount]) => [
            path,
            ['text/html', page(mount)] as [string, string],
          ]),
        ),
        ...options.files,
      }))
    },
  })
  // Screenshots are numbered in the order a test takes them.
  let shots = 0
  beforeEach(() => {
    shots = 0
  })

  /** A full-page screenshot, `<test slug>--<nn>-<step>.png` in the artifacts directory. */
  const shot = (step: string) =>
    ui.browser.page.screenshot({
      path: join(
        ui.artifacts,
        `${slugOf(ui.testName)}--${String(++shots).padStart(2, '0')}-${step}.png`,
      ),
      fullPage: true,
    })

  /** A member of the organization with a live session (made if new), by the mock's control API. */
  async function sessionOf(
    organization_id: string,
    email_address: string,
    more: { is_admin?: boolean; roles?: string[] } = {},
  ) {
    const res = await api(ui.mock)('/_mock/b2b/sessions', {
      organization_id,
      email_address,
      ...more,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return {
      member_id: res.body.member.member_id as string,
      email: res.body.member.email_address as string,
      session_token: res.body.session_token as string,
    }
  }

  /** Opens a page of the app logged in as this member session (the cookie an app's backend sets). */
  async function open(path: string, sessionToken: string) {
    // Off the page shown first: a request it still makes (a list it refetches) must not go out
    // with the next member's cookie. Then the previous member's SDK state goes, as after a logout:
    // the B2B client keeps the member and session in localStorage and renders from them until its
    // own refresh, so the admin's cached roles once let a plain member's page ask for the SSO
    // list (a 403) before the portal knew who was there.
    await ui.browser.page.goto('about:blank')
    const cdp = await ui.browser.context.newCDPSession(ui.browser.page)
    try {
      await cdp.send('Storage.clearDataForOrigin', {
        origin: ui.app.origin,
        storageTypes: 'local_storage',
      })
    } finally {
      await cdp.detach()
    }
    // The previous member's cookies too (the SDK's own stytch_session_jwt among them).
    await ui.browser.context.clearCookies()
    await ui.browser.context.addCookies([
      { name: 'stytch_session', value: sessionToken, domain: 'localhost', path: '/' },
    ])
    await ui.browser.page.goto(`${ui.app.origin}${path}`)
  }

  /** A request the page sends to the mock, and its answer (registered before the action). */
  const nextRequest = (method: string, path: string | RegExp) =>
    ui.browser.page.waitForResponse((r) => {
      const url = new URL(r.url())
      return (
        url.origin === new URL(ui.mock.base).origin &&
        r.request().method() === method &&
        (typeof path === 'string' ? url.pathname === path : path.test(url.pathname))
      )
    })

  const dialog = () => ui.browser.page.getByRole('dialog')

  /** A section of a page (title bar and body), by its title. */
  const section = (title: string) =>
    ui.browser.page.getByRole('heading', { name: title, exact: true }).locator('xpath=../..')

  /** Waits until the portal shows the text; if it never does, says what it shows and threw. */
  async function shows(text: string) {
    try {
      await expect.poll(() => ui.browser.page.getByText(text).count()).toBeGreaterThan(0)
    } catch (err) {
      const shown = await ui.browser.page.locator('#admin').innerText()
      throw new Error(
        `the admin portal never showed "${text}"; it shows ${JSON.stringify(shown.slice(0, 1500))}, errors ${JSON.stringify(ui.seen.errors)}`,
        { cause: err },
      )
    }
  }

  /** No console errors, no page errors, and every warning an explained one (or `allowed`). */
  function expectQuietConsole(allowed: RegExp[] = []) {
    const explained = (l: string) =>
      EXPLAINED_CONSOLE.some(([re]) => re.test(l)) || allowed.some((re) => re.test(l))
    expect(ui.seen.errors.filter((l) => !explained(l))).toEqual([])
    expect(ui.seen.console.filter((l) => /^(warning|error)/.test(l) && !explained(l))).toEqual([])
  }

  return {
    ui,
    shot,
    /** The official Node SDK's B2B client on the mock. */
    nodeClient: () => nodeClient(ui.mock, 'b2b'),
    sessionOf,
    open,
    nextRequest,
    dialog,
    section,
    shows,
    expectQuietConsole,
  }
}
