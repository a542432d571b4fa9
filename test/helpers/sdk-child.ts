// The official Node SDK in a child process, for HTTPS: Node reads NODE_EXTRA_CA_CERTS (the mock's
// local CA) only at start-up. It authenticates a session token, then its JWT through the API and
// locally (the SDK's own JWKS fetch, over the same TLS).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

const SCRIPT = `
const stytch = require('stytch')
const [baseUrl, projectId, secret, token] = process.argv.slice(1)
const client = new stytch.Client({ project_id: projectId, secret, custom_base_url: baseUrl })
;(async () => {
  const auth = await client.sessions.authenticate({ session_token: token })
  const jwt = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt })
  const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })
  console.log(JSON.stringify({ user: auth.user.user_id, jwtSession: jwt.session.session_id, local: local.user_id }))
})().catch((e) => { console.error(String(e && e.message || e)); process.exit(3) })
`

export interface SdkOverHttps {
  baseUrl: string
  projectId: string
  secret: string
  sessionToken: string
  /** The CA file to trust, or '' to trust none but Node's own. */
  caFile: string
}

/** Resolves to what the SDK saw; rejects with exit code 3 when the SDK fails (e.g. untrusted CA). */
export async function sdkOverHttps(o: SdkOverHttps): Promise<Record<string, string>> {
  const { stdout } = await run(
    process.execPath,
    ['-e', SCRIPT, o.baseUrl, o.projectId, o.secret, o.sessionToken],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: o.caFile } },
  )
  return JSON.parse(stdout) as Record<string, string>
}
