// The consent page (server-rendered with Hono's JSX): where Google's (or any provider's) screen
// would be. Plain forms, no script; one inline stylesheet allowed by its hash.
import { raw } from 'hono/html'
import { STAND_IN_STYLE, standInHeaders } from '../../platform/http/stand-in-page.js'
import type { ConsentView } from './consent.js'

// No script at all; the forms post to the mock, which redirects to the app.
export const CONSENT_HEADERS = standInHeaders()

/** The page for a waiting start; its forms post to `action`. */
export async function consentPage(
  view: ConsentView,
  action: string,
  error?: string,
): Promise<string> {
  const { request, provider, organization, accounts } = view
  const target = new URL(request.login_redirect_url).origin
  const what =
    request.flow === 'oauth'
      ? 'Sign in'
      : organization
        ? `Sign in to ${String(organization.organization_name)}`
        : 'Find your organizations'
  return (
    '<!doctype html>' +
    (await (
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`Sign in with ${provider.label} · stytch-mock`}</title>
          <style>{raw(STAND_IN_STYLE)}</style>
        </head>
        <body>
          <main>
            <h1>{`Sign in with ${provider.label}`}</h1>
            <p>
              {what} to continue to <strong>{target}</strong>.
            </p>
            <p class="note">
              stytch-mock stands in for {provider.label} here: nothing leaves this machine.
            </p>
            {error ? (
              <p class="error" role="alert">
                {error}
              </p>
            ) : null}
            <form method="post" action={action}>
              <input type="hidden" name="request" value={request.request_id} />
              {accounts.length > 0 ? (
                <ul aria-label="Accounts">
                  {accounts.map((a) => (
                    <li>
                      <button class="account" type="submit" name="email" value={a.email}>
                        {a.name || a.email}
                        {a.name ? <span>{a.email}</span> : null}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </form>
            <form method="post" action={action}>
              <input type="hidden" name="request" value={request.request_id} />
              <fieldset>
                <legend>Use another account</legend>
                <label>
                  Email
                  <input type="email" name="email" required autocomplete="off" />
                </label>
                <label>
                  Name (optional)
                  <input type="text" name="name" autocomplete="off" />
                </label>
                <button class="primary" type="submit">
                  Continue
                </button>
              </fieldset>
            </form>
            <form method="post" action={action}>
              <input type="hidden" name="request" value={request.request_id} />
              <input type="hidden" name="deny" value="true" />
              <button class="deny" type="submit">
                Deny access
              </button>
            </form>
            <p class="note">
              Tests can skip this page: <code>POST /_mock/oauth/answers</code> with an email answers
              the next start.
            </p>
          </main>
        </body>
      </html>
    ).toString())
  )
}
