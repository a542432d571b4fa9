// The pages of the SSO journey (server-rendered with Hono's JSX): the identity provider's sign-in
// page the mock stands in for, the form that carries a SAMLResponse to the ACS (one inline script
// submits it, allowed by its hash), and the ACS / callback's error page. Plain forms; one inline
// stylesheet allowed by its hash.
import { raw } from 'hono/html'
import { STAND_IN_STYLE, standInHeaders } from '../../platform/http/stand-in-page.js'
import type { IdpView } from './idp.js'

/** The POST binding's one script: the browser carries the response on without a click. */
const SUBMIT = 'document.forms[0].submit()'

export const PAGE_HEADERS = standInHeaders()
export const POST_HEADERS = standInHeaders(SUBMIT)

const PROVIDERS: Record<string, string> = {
  classlink: 'ClassLink',
  cyberark: 'CyberArk',
  duo: 'Duo',
  generic: 'your identity provider',
  'google-workspace': 'Google Workspace',
  jumpcloud: 'JumpCloud',
  keycloak: 'Keycloak',
  miniorange: 'miniOrange',
  'microsoft-entra': 'Microsoft Entra ID',
  okta: 'Okta',
  onelogin: 'OneLogin',
  pingfederate: 'PingFederate',
  rippling: 'Rippling',
  salesforce: 'Salesforce',
  shibboleth: 'Shibboleth',
}

const page = async (title: string, body: unknown) =>
  '<!doctype html>' +
  (await (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · stytch-mock`}</title>
        <style>{raw(STAND_IN_STYLE)}</style>
      </head>
      <body>{body}</body>
    </html>
  ).toString())

/** The identity provider's sign-in page for a start (or an IdP-initiated login). */
export async function idpPage(view: IdpView): Promise<string> {
  const { connection, carry, action } = view
  const provider = PROVIDERS[connection.identity_provider] ?? connection.identity_provider
  const hidden = Object.entries(carry).map(([name, value]) => (
    <input type="hidden" name={name} value={value} />
  ))
  const title = `Sign in to ${connection.display_name || view.organization_name || 'SSO'}`
  return page(
    title,
    <main>
      <h1>{title}</h1>
      <p>
        {view.protocol === 'saml' ? 'SAML' : 'OpenID Connect'} single sign-on for{' '}
        <strong>{view.organization_name}</strong>.
      </p>
      <p class="note">stytch-mock stands in for {provider} here: nothing leaves this machine.</p>
      {view.error ? (
        <p class="error" role="alert">
          {view.error}
        </p>
      ) : null}
      {view.members.length > 0 ? (
        <form method="post" action={action}>
          {hidden}
          <ul aria-label="Members">
            {view.members.map((m) => (
              <li>
                <button class="account" type="submit" name="pick" value={m.email}>
                  {m.name || m.email}
                  {m.name ? <span>{m.email}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </form>
      ) : null}
      <form method="post" action={action}>
        {hidden}
        <fieldset>
          <legend>Sign in as someone else</legend>
          <label>
            Email
            <input
              type="email"
              name="email"
              required
              autocomplete="off"
              value={view.prefill_email}
            />
          </label>
          <label>
            First name (optional)
            <input type="text" name="first_name" autocomplete="off" />
          </label>
          <label>
            Last name (optional)
            <input type="text" name="last_name" autocomplete="off" />
          </label>
          <label>
            Groups (optional, comma-separated)
            <input type="text" name="groups" autocomplete="off" />
          </label>
          <label>
            External id (optional; default: the email)
            <input type="text" name="external_id" autocomplete="off" />
          </label>
          <label>
            Other attributes (optional, one <code>name=value</code> a line)
            <textarea name="attributes" rows={2}></textarea>
          </label>
          <button class="primary" type="submit">
            Sign in
          </button>
        </fieldset>
      </form>
      <form method="post" action={action}>
        {hidden}
        <input type="hidden" name="deny" value="true" />
        <button class="deny" type="submit">
          Deny access
        </button>
      </form>
      {view.external_sso_url ? (
        <p class="note">
          Or continue to the connection's own identity provider:{' '}
          <a href={view.external_sso_url}>{new URL(view.external_sso_url).host}</a>
        </p>
      ) : null}
      <p class="note">
        Tests can skip this page: <code>POST /_mock/sso/answers</code> answers the next start.
      </p>
    </main>,
  )
}

/** The HTTP-POST binding: the browser posts the SAMLResponse (and RelayState) to the ACS. */
export async function postPage(acs: string, fields: Record<string, string>): Promise<string> {
  return page(
    'Signing in',
    <main>
      <form method="post" action={acs}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>Signing you in…</p>
        <noscript>
          <button class="primary" type="submit">
            Continue
          </button>
        </noscript>
      </form>
      <script>{raw(SUBMIT)}</script>
    </main>,
  )
}

/** The ACS / callback's answer to a login it refuses: the Stytch error type and what it means. */
export async function errorPage(errorType: string, message: string): Promise<string> {
  return page(
    'Single sign-on failed',
    <main>
      <h1>Single sign-on failed</h1>
      <p class="error" role="alert">
        <code data-error-type={errorType}>{errorType}</code>
      </p>
      <p>{message}</p>
    </main>,
  )
}
