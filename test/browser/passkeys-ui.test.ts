// Issue #27, "Proof": passkeys in Chromium with the unmodified @stytch/vanilla-js bundles and a
// virtual authenticator (the DevTools protocol's WebAuthn domain: a resident-key, user-verifying
// platform authenticator that answers on its own), against the mock. Pages are served from
// http://localhost:<port>, the RP ID `localhost` (Chromium refuses an IP address as RP ID).
// Headless SDK: a user logged in by password registers a passkey (webauthn.register, is_passkey),
// signs out, signs in with it (webauthn.authenticate, the modal request), signs in by autofill
// (conditional mediation with an `autocomplete="username webauthn"` input), is refused when the
// authenticator signs wrongly (the counter the mock keeps unmoved), steps a password session up
// with it, renames it (webauthn.update), deletes it (user.deleteWebauthnRegistration)
// and then fails to sign in with it (webauthn_registration_not_found, which the pre-built login
// has a message for). The pre-built StytchPasskeyRegistration component registers, renames and
// deletes a passkey; the pre-built login's "Login with a Passkey" button (products oauth and
// passkeys: no input product, so the button shows) signs in, and the pre-built login with email
// magic links and passkeys signs in by autofill as it mounts. Every result is checked through the
// backend (the official Node SDK): the session's webauthn factor and the user's
// webauthn_registrations; the credential's counter the mock keeps is the authenticator's.
// Screenshots and a record of each test's requests go to test/browser/artifacts/passkeys-ui/.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CDPSession } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { Inspector } from '../../server/inspector/model.js'
import { packageRoot } from '../../server/paths.js'
import { api, startMock } from './harness.js'
import {
  browserSuite,
  callOf,
  expectMockAnswered,
  nextCall,
  runClient,
  serveApp,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const PASSWORD = 'correct-horse-battery'
const random = () => Math.random().toString(36).slice(2, 10)

/** A page with one SDK bundle and its client, pointed at the mock, as `window.client`. */
function html(mock: Mock, script: string, body: string, code: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock passkeys</title>
<link rel="icon" href="data:,"><script src="/${script}"></script></head>
<body>${body}
<script>
const PUBLIC_TOKEN = ${JSON.stringify(mock.config.publicToken)}
const endpoints = { testAPIURL: ${JSON.stringify(mock.base)}, liveAPIURL: ${JSON.stringify(mock.base)} }
${code}
</script></body></html>`
}

function startApp(mock: Mock) {
  return serveApp((origin) => ({
    '/headless.js': ['text/javascript', bundle('index.headless.js')],
    '/ui.js': ['text/javascript', bundle('index.js')],
    // The headless SDK, and the input a page needs for passkey autofill.
    '/headless.html': [
      'text/html',
      html(
        mock,
        'headless.js',
        `<label>Email <input id="username" name="username" autocomplete="username webauthn"></label>`,
        `window.client = new stytch.StytchClient(PUBLIC_TOKEN, { endpoints })`,
      ),
    ],
    // The UI client; the test mounts a component with window.mount(kind, config).
    '/ui.html': [
      'text/html',
      html(
        mock,
        'ui.js',
        `<div id="root"></div>`,
        `window.uiEvents = []
window.uiErrors = []
const client = new stytch.StytchUIClient(PUBLIC_TOKEN, { endpoints })
window.client = client
window.OAUTH_REDIRECT = ${JSON.stringify(`${origin}/ui.html`)}
window.mount = (kind, config) => {
  const props = {
    client,
    config,
    callbacks: {
      onEvent: (e) => uiEvents.push(e.type),
      onError: (e) => uiErrors.push({ error_type: e.error_type, message: e.message }),
    },
  }
  const mount = kind === 'login' ? client.mountLogin : client.mountPasskeyRegistration
  // @stytch/vanilla-js 6.3.0: the first mount appends the element without its props, and it
  // renders nothing until they are set.
  mount({ elementId: '#root', ...props }).render(props)
}`,
      ),
    ],
  }))
}

const ui = browserSuite({ artifacts: 'passkeys-ui', app: startApp, backend: 'consumer' })
const shot = ui.shot

/**
 * Chromium's virtual authenticator on the page (it stays through navigations): a platform
 * authenticator with resident keys and user verification, whose user is always present and
 * verified, so create() and get() answer without a prompt. It starts empty.
 */
async function virtualAuthenticator() {
  const cdp: CDPSession = await ui.browser.context.newCDPSession(ui.browser.page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  return {
    credentials: async () =>
      (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    /** From now on the authenticator's assertions carry a signature that does not verify. */
    bogusSignatures: (on: boolean) =>
      cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: on }),
  }
}

/** Opens one of the app's pages; the SDK client is `window.client` there. */
async function open(path: '/headless.html' | '/ui.html') {
  await ui.browser.page.goto(`${ui.app.origin}${path}`)
  return ui.browser.page
}

/** Runs a client call in the page: its result, or the Stytch error type it failed with. */
const run = (code: string) => runClient(ui.browser.page, code, true)
const cachedUser = () => ui.browser.page.evaluate(() => (window as any).client.user.getSync())
const cachedSession = () => ui.browser.page.evaluate(() => (window as any).client.session.getSync())
const userAgent = () => ui.browser.page.evaluate(() => navigator.userAgent)

/** A user with a verified email and a password. */
async function seedUser() {
  const email = `passkeys-ui-${random()}@example.com`
  const seeded = await api(ui.mock)('/_mock/users', { email, password: PASSWORD })
  expect(seeded.status, JSON.stringify(seeded.body)).toBe(200)
  return { email, user_id: seeded.body.user_id as string }
}

/** Logs in on the page by password; the SDK's answer. */
async function passwordLogin(email: string) {
  const login = await run(
    `c.passwords.authenticate(${JSON.stringify({ email, password: PASSWORD, session_duration_minutes: 60 })})`,
  )
  expect(login.ok?.session, JSON.stringify(login)).toBeTruthy()
  return login.ok
}

/** The session's factors as `type/delivery_method`. */
const factorsOf = (session: {
  authentication_factors: { type: string; delivery_method: string }[]
}) => session.authentication_factors.map((f) => `${f.type}/${f.delivery_method}`)

/** What the backend says of a session: its webauthn factor names this registration. */
async function expectWebAuthnSession(session_token: string, registrationId: string, ua: string) {
  const res = await ui.backend.sessions.authenticate({ session_token })
  expect(res.session.authentication_factors).toContainEqual(
    expect.objectContaining({
      type: 'webauthn',
      delivery_method: 'webauthn_registration',
      webauthn_factor: {
        webauthn_registration_id: registrationId,
        domain: 'localhost',
        user_agent: ua,
      },
    }),
  )
  return res
}

/** The stytch_session cookie the pre-built UI's client set on the app's origin. */
async function sessionCookie() {
  const cookies = await ui.browser.context.cookies(ui.app.origin)
  const token = cookies.find((c) => c.name === 'stytch_session')?.value
  expect(token, `stytch_session cookie (cookies: ${cookies.map((c) => c.name)})`).toBeTruthy()
  return token!
}

/** The signature counter the mock stores for a user's passkey, as the inspector shows it. */
const storedCounter = (user_id: string, registrationId: string) =>
  new Inspector(ui.mock.world)
    .passkeysOf(ui.mock.world.users.byId(user_id)!)
    .find((p) => p.webauthn_registration_id === registrationId)?.counter

describe('@stytch/vanilla-js headless webauthn with a virtual authenticator', () => {
  it('register, sign out, sign in, autofill, step-up, rename, delete, then fail to sign in', async () => {
    const page = await open('/headless.html')
    const authenticator = await virtualAuthenticator()
    const { email, user_id } = await seedUser()
    const passwordSession = await passwordLogin(email)
    const ua = await userAgent()

    // webauthn.register: register/start with the page's hostname as the domain, the passkey
    // options, then the credential the authenticator created.
    const startAnswer = nextCall(page, ui.mock, '/sdk/v1/webauthn/register/start')
    const registered = await run(
      `c.webauthn.register({ is_passkey: true, session_duration_minutes: 60 })`,
    )
    expect(registered.ok, JSON.stringify(registered)).toMatchObject({
      user_id,
      webauthn_registration_id: expect.stringMatching(/^webauthn-registration-test-/),
      status_code: 200,
    })
    expect(registered.ok).not.toHaveProperty('__user')
    const registrationId: string = registered.ok.webauthn_registration_id
    const start = await callOf(await startAnswer)
    expect(start.request).toEqual({
      domain: 'localhost',
      return_passkey_credential_options: true,
      user_agent: ua,
    })
    const creation = JSON.parse(start.body.data.public_key_credential_creation_options)
    expect(creation.rp.id).toBe('localhost')
    expect(creation.authenticatorSelection).toMatchObject({ residentKey: 'required' })
    // user.id is the user's id (base64); the authenticator keeps it as the user handle.
    const held = await authenticator.credentials()
    expect(held).toHaveLength(1)
    expect(held[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true })
    expect(Buffer.from(held[0]!.userHandle!, 'base64').toString()).toBe(user_id)
    expect(Buffer.from(creation.user.id, 'base64').toString()).toBe(user_id)

    const registration = {
      webauthn_registration_id: registrationId,
      domain: 'localhost',
      user_agent: ua,
      verified: true,
      authenticator_type: '',
      name: expect.any(String),
    }
    expect((await cachedUser()).webauthn_registrations).toEqual([registration])
    expect((await ui.backend.users.get({ user_id })).webauthn_registrations).toEqual([registration])
    // Registered from a logged-in page: the same session, now with the webauthn factor too.
    expect(registered.ok.session.session_id).toBe(passwordSession.session.session_id)
    expect(factorsOf(registered.ok.session)).toEqual([
      'password/knowledge',
      'webauthn/webauthn_registration',
    ])
    await expectWebAuthnSession(registered.ok.session_token, registrationId, ua)

    // Sign out, then sign in with the passkey: authenticate/start/primary, the modal request.
    expect((await run(`c.session.revoke()`)).ok).toMatchObject({ status_code: 200 })
    expect(await cachedSession()).toBeNull()
    const signIn = async (options: object, startPath: string) => {
      const answered = nextCall(page, ui.mock, startPath)
      const result = await run(
        `c.webauthn.authenticate(${JSON.stringify({ is_passkey: true, session_duration_minutes: 60, ...options })})`,
      )
      return { result, start: await callOf(await answered) }
    }
    const modal = await signIn({}, '/sdk/v1/webauthn/authenticate/start/primary')
    expect(modal.start.request).toEqual({
      domain: 'localhost',
      return_passkey_credential_options: true,
    })
    const request = JSON.parse(modal.start.body.data.public_key_credential_request_options)
    expect(request).toMatchObject({ rpId: 'localhost', challenge: expect.any(String) })
    expect(modal.result.ok, JSON.stringify(modal.result)).toMatchObject({
      user_id,
      webauthn_registration_id: registrationId,
    })
    expect(factorsOf(modal.result.ok.session)).toEqual(['webauthn/webauthn_registration'])
    const modalSession = await expectWebAuthnSession(
      modal.result.ok.session_token,
      registrationId,
      ua,
    )
    expect(modalSession.user.user_id).toBe(user_id)
    expect((await cachedSession()).session_id).toBe(modal.result.ok.session.session_id)
    // The authenticator's signature counter: 1 after create, 2 after this assertion; the mock
    // keeps the one it verified last.
    expect((await authenticator.credentials())[0]!.signCount).toBe(2)
    expect(storedCounter(user_id, registrationId)).toBe(2)

    // Sign out, then autofill: the SDK checks the browser supports it and the page has a
    // webauthn input, then makes a conditional request, which the authenticator answers.
    await run(`c.session.revoke()`)
    expect((await run(`c.webauthn.browserSupportsAutofill()`)).ok).toBe(true)
    await page.locator('#username').focus()
    const autofill = await signIn(
      { conditional_mediation: true },
      '/sdk/v1/webauthn/authenticate/start/primary',
    )
    expect(autofill.result.ok, JSON.stringify(autofill.result)).toMatchObject({
      user_id,
      webauthn_registration_id: registrationId,
    })
    expect(autofill.result.ok.session.session_id).not.toBe(modal.result.ok.session.session_id)
    await expectWebAuthnSession(autofill.result.ok.session_token, registrationId, ua)
    expect(storedCounter(user_id, registrationId)).toBe(3)

    // An assertion whose signature does not verify is refused, and moves no counter the mock keeps.
    await run(`c.session.revoke()`)
    await authenticator.bogusSignatures(true)
    const bogus = await signIn({}, '/sdk/v1/webauthn/authenticate/start/primary')
    expect(bogus.result).toEqual({ error: 'unable_to_auth_webauthn_registration' })
    expect((await authenticator.credentials())[0]!.signCount).toBe(4)
    expect(storedCounter(user_id, registrationId)).toBe(3)
    expect(await cachedSession()).toBeNull()
    await authenticator.bogusSignatures(false)

    // A password session steps up with the passkey: authenticate/start/secondary, same session.
    const second = await passwordLogin(email)
    const stepUp = await signIn({}, '/sdk/v1/webauthn/authenticate/start/secondary')
    expect(stepUp.result.ok, JSON.stringify(stepUp.result)).toMatchObject({ user_id })
    expect(stepUp.result.ok.session.session_id).toBe(second.session.session_id)
    expect(factorsOf(stepUp.result.ok.session)).toEqual([
      'password/knowledge',
      'webauthn/webauthn_registration',
    ])
    expect(storedCounter(user_id, registrationId)).toBe(5)

    // webauthn.update renames it: the answer, the SDK's user and the backend agree.
    const renamed = await run(
      `c.webauthn.update({ webauthn_registration_id: ${JSON.stringify(registrationId)}, name: 'Work laptop' })`,
    )
    expect(renamed.ok, JSON.stringify(renamed)).toMatchObject({
      webauthn_registration: { ...registration, name: 'Work laptop' },
      status_code: 200,
    })
    expect((await ui.backend.users.get({ user_id })).webauthn_registrations).toEqual([
      { ...registration, name: 'Work laptop' },
    ])
    expect((await run(`c.user.get()`)).ok.webauthn_registrations[0].name).toBe('Work laptop')

    // user.deleteWebauthnRegistration: gone from the SDK's user and the backend.
    const deleted = await run(
      `c.user.deleteWebauthnRegistration(${JSON.stringify(registrationId)})`,
    )
    expect(deleted.ok, JSON.stringify(deleted)).toMatchObject({ user_id, status_code: 200 })
    expect((await cachedUser()).webauthn_registrations).toEqual([])
    expect((await ui.backend.users.get({ user_id })).webauthn_registrations).toEqual([])

    // The authenticator still holds the credential; the mock no longer knows it.
    await run(`c.session.revoke()`)
    expect(await authenticator.credentials()).toHaveLength(1)
    const refused = await signIn({}, '/sdk/v1/webauthn/authenticate/start/primary')
    expect(refused.result).toEqual({ error: 'webauthn_registration_not_found' })
    const failed = ui.seen.mock.filter((r) => r.path === '/sdk/v1/webauthn/authenticate').at(-1)
    expect(failed?.status).toBe(404)
    expect(await cachedSession()).toBeNull()
  })
})

describe('@stytch/vanilla-js pre-built passkey UI', () => {
  it('StytchPasskeyRegistration: creates a passkey, renames and deletes it', async () => {
    const page = await open('/ui.html')
    const authenticator = await virtualAuthenticator()
    const { email, user_id } = await seedUser()
    await passwordLogin(email)
    await page.evaluate(() =>
      (window as any).mount('passkeyRegistration', { passkeyOptions: { domain: 'localhost' } }),
    )
    await expect.poll(() => page.getByText('Set up a new Passkey').count()).toBe(1)
    await shot('1-start')

    const registered = nextCall(page, ui.mock, '/sdk/v1/webauthn/register')
    await page.getByRole('button', { name: 'Create a Passkey' }).click()
    const register = await callOf(await registered)
    expect(register.status, JSON.stringify(register.body)).toBe(200)
    expect(register.request).toEqual({
      public_key_credential: expect.any(String),
      session_duration_minutes: 30,
    })
    await expect.poll(() => page.getByText('Passkey successfully created!').count()).toBe(1)
    const id: string = register.body.data.webauthn_registration_id
    const [stored] = (await ui.backend.users.get({ user_id })).webauthn_registrations
    expect(stored).toMatchObject({
      webauthn_registration_id: id,
      domain: 'localhost',
      verified: true,
    })
    // The success screen lists the user's registrations by name.
    await expect
      .poll(() => page.getByTestId(`editable-row-${id}`).innerText())
      .toContain(stored!.name)
    expect(await authenticator.credentials()).toHaveLength(1)
    await shot('2-created')

    // Rename: Edit, type, Save: webauthn.update, then user.get.
    const row = page.getByTestId(`editable-row-${id}`)
    await row.getByRole('button', { name: 'Edit' }).click()
    await row.getByLabel('Passkey name').fill('Kitchen tablet')
    const updated = page.waitForResponse(
      (r) =>
        r.url() === `${ui.mock.base}/sdk/v1/webauthn/update/${id}` &&
        r.request().method() === 'PUT',
    )
    await row.getByRole('button', { name: 'Save' }).click()
    const update = await updated
    expect(update.status()).toBe(200)
    expect(update.request().postDataJSON()).toEqual({ name: 'Kitchen tablet' })
    await expect.poll(() => row.innerText()).toContain('Kitchen tablet')
    await expect
      .poll(async () => (await ui.backend.users.get({ user_id })).webauthn_registrations[0]?.name)
      .toBe('Kitchen tablet')
    await shot('3-renamed')

    // Delete: the row's Delete, then the confirming one.
    await row.getByRole('button', { name: 'Delete' }).click()
    const removed = page.waitForResponse(
      (r) =>
        r.url() === `${ui.mock.base}/sdk/v1/users/webauthn_registrations/${id}` &&
        r.request().method() === 'DELETE',
    )
    await page.getByRole('button', { name: 'Delete' }).click()
    expect((await removed).status()).toBe(200)
    await expect.poll(() => page.getByTestId(`editable-row-${id}`).count()).toBe(0)
    expect((await ui.backend.users.get({ user_id })).webauthn_registrations).toEqual([])
    await shot('4-deleted')

    expect(await page.evaluate(() => (window as any).uiEvents)).toContain('PASSKEY_REGISTER')
    expect(await page.evaluate(() => (window as any).uiErrors)).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expect(ui.seen.foreign).toEqual([])
  })

  /** A user with a passkey registered on this page's authenticator, signed out again. */
  async function userWithPasskey() {
    const { email, user_id } = await seedUser()
    await passwordLogin(email)
    const registered = await run(
      `c.webauthn.register({ is_passkey: true, session_duration_minutes: 30 })`,
    )
    expect(registered.ok?.webauthn_registration_id, JSON.stringify(registered)).toBeTruthy()
    await run(`c.session.revoke()`)
    expect(await cachedSession()).toBeNull()
    return { user_id, registrationId: registered.ok.webauthn_registration_id as string }
  }

  it('the login\'s "Login with a Passkey" button signs in (products oauth and passkeys)', async () => {
    const page = await open('/ui.html')
    await virtualAuthenticator()
    const { user_id, registrationId } = await userWithPasskey()
    const ua = await userAgent()
    await page.evaluate(() => {
      const w = window as any
      w.mount('login', {
        products: [w.stytch.Products.oauth, w.stytch.Products.passkeys],
        oauthOptions: {
          providers: [{ type: 'google' }],
          loginRedirectURL: w.OAUTH_REDIRECT,
          signupRedirectURL: w.OAUTH_REDIRECT,
        },
      })
    })
    const button = page.getByRole('button', { name: 'Login with a Passkey' })
    await expect.poll(() => button.count()).toBe(1)
    await shot('1-login')

    const started = nextCall(page, ui.mock, '/sdk/v1/webauthn/authenticate/start/primary')
    const answered = nextCall(page, ui.mock, '/sdk/v1/webauthn/authenticate')
    await button.click()
    expect((await callOf(await started)).request).toEqual({
      domain: 'localhost',
      return_passkey_credential_options: true,
    })
    const authenticate = await callOf(await answered)
    expect(authenticate.status, JSON.stringify(authenticate.body)).toBe(200)
    expect(authenticate.request).toMatchObject({
      public_key_credential: expect.any(String),
      session_duration_minutes: 30,
    })
    await expect
      .poll(() => page.getByText('Your Passkey has been successfully authenticated.').count())
      .toBe(1)
    await shot('2-logged-in')

    const session = await expectWebAuthnSession(await sessionCookie(), registrationId, ua)
    expect(session.user.user_id).toBe(user_id)
    expect(factorsOf(session.session)).toEqual(['webauthn/webauthn_registration'])
    expect(await page.evaluate(() => (window as any).uiEvents)).toContain('PASSKEY_AUTHENTICATE')
    expect(await page.evaluate(() => (window as any).uiErrors)).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expect(ui.seen.foreign).toEqual([])
  })

  it('the login with email magic links and passkeys signs in by autofill as it mounts', async () => {
    const page = await open('/ui.html')
    await virtualAuthenticator()
    const { user_id, registrationId } = await userWithPasskey()
    const ua = await userAgent()
    const answered = nextCall(page, ui.mock, '/sdk/v1/webauthn/authenticate')
    await page.evaluate(() => {
      const w = window as any
      w.mount('login', {
        products: [w.stytch.Products.emailMagicLinks, w.stytch.Products.passkeys],
        emailMagicLinksOptions: {
          loginRedirectURL: w.OAUTH_REDIRECT,
          signupRedirectURL: w.OAUTH_REDIRECT,
        },
      })
    })
    // With an input product and autofill, there is no button: the email field offers the passkey.
    const authenticate = await callOf(await answered)
    expect(authenticate.status, JSON.stringify(authenticate.body)).toBe(200)
    await expect
      .poll(() => page.getByText('Your Passkey has been successfully authenticated.').count())
      .toBe(1)
    await shot('1-logged-in')
    expect(await page.getByRole('button', { name: 'Login with a Passkey' }).count()).toBe(0)
    // The UI's autofill effect may start more than once as it settles (the SDK aborts the request
    // it replaces); one credential comes back, and one authenticate.
    const calls = ui.seen.mock.filter((r) => r.path.startsWith('/sdk/v1/webauthn/authenticate'))
    expect(calls.at(-1)?.path).toBe('/sdk/v1/webauthn/authenticate')
    expect(new Set(calls.slice(0, -1).map((r) => r.path))).toEqual(
      new Set(['/sdk/v1/webauthn/authenticate/start/primary']),
    )

    const session = await expectWebAuthnSession(await sessionCookie(), registrationId, ua)
    expect(session.user.user_id).toBe(user_id)
    // The only error the UI reports is its own abort of the request it replaced: none from the mock.
    const errors = await page.evaluate(() => (window as any).uiErrors as { message: string }[])
    expect(errors.filter((e) => e.message !== 'signal is aborted without reason')).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expect(ui.seen.foreign).toEqual([])
  })
})
