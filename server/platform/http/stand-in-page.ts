// The look and headers of the pages the mock serves in another party's place (OAuth's consent
// page, SSO's identity-provider pages): one inline stylesheet allowed by its hash, no other
// source, never framed, cached or sent a referrer.
import { createHash } from 'node:crypto'

export const STAND_IN_STYLE = `
:root { color-scheme: light dark; font: 15px/1.45 system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
main { width: min(28rem, calc(100vw - 2rem)); border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 12px; padding: 1.5rem; margin: 1rem 0; }
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
input, textarea { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
.primary { margin-top: .5rem; padding: .45rem 1rem; }
.deny { background: none; border: none; color: inherit; text-decoration: underline; padding: 0; }
code { font-size: .85em; word-break: break-all; }
`

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** The page's headers; `script`: the one inline script it may run, allowed by its hash. */
export function standInHeaders(script?: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; style-src ${hash(STAND_IN_STYLE)};${
      script ? ` script-src ${hash(script)};` : ''
    } base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  }
}
