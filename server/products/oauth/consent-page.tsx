// The consent page (server-rendered with Hono's JSX): where Google's (or any provider's) screen
// would be. Plain forms, no script; one inline stylesheet allowed by its hash.
import { createHash } from 'node:crypto'
import { raw } from 'hono/html'
import type { ConsentView } from './consent.js'

const STYLE = `
:root { color-scheme: light dark; font: 15px/1.45 system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
main { width: min(26rem, calc(100vw - 2rem)); border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 12px; padding: 1.5rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
p { margin: .25rem 0 1rem; }
.note { font-size: .85rem; opacity: .75; }
.error { color: #b3261e; font-weight: 600; }
ul { list-style: none; padding: 0; margin: 0 0 1rem; }
li + li { margin-top: .5rem; }
button { font: inherit; cursor: pointer; }
.account { width: 100%; text-align: left; padding: .6rem .8rem; border-radius: 8px; border: 1px solid color-mix(in srgb, CanvasText 25%, transparent); background: transparent; color: inherit; }
.account span { display: block; font-size: .85rem; opacity: .75; }
fieldset { border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 8px; margin: 0 0 1rem; padding: .75rem; }
label { display: block; margin: .25rem 0; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
.primary { margin-top: .5rem; padding: .45rem 1rem; }
.deny { background: none; border: none; color: inherit; text-decoration: underline; padding: 0; }
code { font-size: .85em; }
`
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64')

export const CONSENT_HEADERS = {
  // No script at all; the forms post to the mock, which redirects to the app.
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

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
          <style>{raw(STYLE)}</style>
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
