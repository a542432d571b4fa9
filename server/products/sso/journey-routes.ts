// SSO's login journey, as a browser, the stytch Node SDK and @stytch/vanilla-js meet it:
// - public (no credentials): /v1/public/sso/start (the SDK's sso.start navigates there); the
//   stand-in identity provider under /v1/public/sso/idp/{connection_id}/ (its metadata, its SAML
//   and OIDC pages and their answer); the ACS / OIDC callback /v1/b2b/sso/callback/{id};
// - sso.authenticate, backend and /sdk/v1; sso.discoverConnections (/sdk/v1);
//   organizations.members.oidcProviders;
// - the answers tests queue for the next starts (/_mock/sso/answers).
import { Hono, type Context } from 'hono'
import { StytchError } from '../../errors.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { looksLikeEmail } from '../../platform/login/rules.js'
import { SDK } from '../../platform/sessions/core.js'
import type { ProductRoutes } from '../../platform/product.js'
import { IDP_PATH, type IdpView, type PageAnswer } from './idp.js'
import type { SsoAnswer } from './journey-store.js'
import { namedRecord } from './mapping.js'
import type { SsoWorld } from './routes.js'

type AuthenticateBody = B2BSessionBody & { sso_token: string; pkce_code_verifier?: string }

/** What the identity provider's page posts. */
interface AnswerForm {
  protocol?: string
  SAMLRequest?: string
  RelayState?: string
  state?: string
  pick?: string
  email?: string
  first_name?: string
  last_name?: string
  groups?: string
  external_id?: string
  attributes?: string
  deny?: string
}

// The pages' JSX renderer is loaded on first use, not at start-up.
let pageModule: Promise<typeof import('./idp-page.js')> | undefined
const pages = () => (pageModule ??= import('./idp-page.js'))

const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin

export function journeyRoutes({ config, ssoLogins }: SsoWorld): ProductRoutes {
  const { starts, idp, callbacks } = ssoLogins
  const { verticalOf, loginCaller, memberLoginInput, memberLoggedIn, data } = sdkCaller(config)

  // The public routes: mounted before the /v1 Basic-auth check, which they must not meet.
  const pub = new Hono<AppEnv>()

  pub.get('/v1/public/sso/start', async (c) => {
    const actual = verticalOf(c.req.query('public_token') ?? '')
    if (!actual) throw new StytchError('unauthorized_credentials')
    if (actual !== 'B2B') throw new StytchError('invalid_b2b_endpoint')
    const { query } = await readInput(c)
    const q = (name: string) => query[name] || undefined
    const provider_params: Record<string, string> = {}
    for (const [name, value] of Object.entries(c.req.query()))
      if (name.startsWith('provider_') && value) provider_params[name.slice(9)] = value
    const location = starts.start(
      {
        connection_id: q('connection_id'),
        organization_id: q('organization_id'),
        login_redirect_url: q('login_redirect_url'),
        signup_redirect_url: q('signup_redirect_url'),
        pkce_code_challenge: q('pkce_code_challenge'),
        custom_scopes: q('custom_scopes'),
        provider_params,
      },
      originOf(c),
    )
    return c.redirect(location, 302)
  })

  pub.get(`${IDP_PATH}/:connection_id/metadata`, async (c) => {
    const { params } = await readInput(c)
    const xml = await idp.metadata(params.connection_id!, originOf(c))
    return c.body(xml, 200, {
      'content-type': 'application/samlmetadata+xml; charset=utf-8',
      'cache-control': 'no-store',
    })
  })

  // The identity provider's pages and the ACS / callback answer a refusal with a page naming
  // Stytch's error type: a browser, not an SDK, is there.
  const refused = async (c: Context<AppEnv>, err: unknown) => {
    if (!(err instanceof StytchError)) throw err
    c.set('errorType', err.errorType)
    const { errorPage, PAGE_HEADERS } = await pages()
    return c.html(
      await errorPage(err.errorType, err.message),
      err.status === 404 ? 404 : 400,
      PAGE_HEADERS,
    )
  }
  const showPage = async (c: Context<AppEnv>, view: IdpView, status: 200 | 400 = 200) => {
    const { idpPage, PAGE_HEADERS } = await pages()
    return c.html(await idpPage(view), status, PAGE_HEADERS)
  }

  pub.get(`${IDP_PATH}/:connection_id/saml`, async (c) => {
    try {
      const { params, query } = await readInput(c)
      const request = { SAMLRequest: query.SAMLRequest, RelayState: query.RelayState }
      return await showPage(c, await idp.samlPage(params.connection_id!, request, originOf(c)))
    } catch (err) {
      return refused(c, err)
    }
  })

  pub.get(`${IDP_PATH}/:connection_id/oidc`, async (c) => {
    try {
      const { params, query } = await readInput(c)
      return await showPage(c, idp.oidcPage(params.connection_id!, query, originOf(c)))
    } catch (err) {
      return refused(c, err)
    }
  })

  // The page's forms: a member picked, an identity typed, or a denial. What a person typed that
  // is not an email address shows the page again, saying so.
  pub.post(`${IDP_PATH}/:connection_id/answer`, async (c) => {
    const origin = originOf(c)
    let form: AnswerForm = {}
    let connectionId = ''
    try {
      const { params, body } = await readInput(c)
      form = body as AnswerForm
      connectionId = params.connection_id!
      const answer = answerOf(form, (email) => idp.picked(connectionId, email))
      if (form.protocol === 'oidc') {
        if (!form.state) throw new StytchError('missing_oidc_state_param')
        return c.redirect(idp.oidcAnswer(connectionId, form.state, answer, origin), 303)
      }
      const { acs, fields } = await idp.samlAnswer(connectionId, form, answer, origin)
      const { postPage, POST_HEADERS } = await pages()
      return c.html(await postPage(acs, fields), 200, POST_HEADERS)
    } catch (err) {
      if (!(err instanceof StytchError) || !connectionId) return refused(c, err)
      try {
        const view =
          form.protocol === 'oidc'
            ? idp.oidcPage(connectionId, { state: form.state ?? '' }, origin, err.message)
            : await idp.samlPage(connectionId, form, origin, err.message)
        c.set('errorType', err.errorType)
        return await showPage(c, view, 400)
      } catch (again) {
        return refused(c, again)
      }
    }
  })

  pub.post('/v1/b2b/sso/callback/:connection_id', async (c) => {
    try {
      const { params, body } = await readInput(c)
      const form = body as { SAMLResponse?: string; RelayState?: string }
      return c.redirect(await callbacks.acs(params.connection_id!, form, originOf(c)), 302)
    } catch (err) {
      return refused(c, err)
    }
  })

  pub.get('/v1/b2b/sso/callback/:connection_id', async (c) => {
    try {
      const { params, query } = await readInput(c)
      return c.redirect(callbacks.oidcCallback(params.connection_id!, query), 302)
    } catch (err) {
      return refused(c, err)
    }
  })

  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/sso/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await ssoLogins.authenticate(
      body.sso_token,
      body.pkce_code_verifier,
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  api.get('/v1/b2b/organizations/:organization_id/members/:member_id/oidc_providers', async (c) => {
    const { params, query } = await readInput(c)
    const answer = ssoLogins.oidcProviders(
      params.organization_id!,
      params.member_id!,
      String(query.include_refresh_token) === 'true',
    )
    c.set('subject', { member_id: params.member_id! })
    return ok(c, answer)
  })

  const sdk = new Hono<AppEnv>()

  sdk.post('/sdk/v1/b2b/sso/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await ssoLogins.authenticate(
      body.sso_token,
      body.pkce_code_verifier,
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  sdk.get('/sdk/v1/b2b/sso/discovery/connections', async (c) => {
    loginCaller(c, 'B2B')
    const { query } = await readInput(c)
    return data(c, ssoLogins.discoverConnections(query.email_address!))
  })

  // Test control: each answer is taken by the next start of its connection (or of any, without
  // one), in order.
  const control = new Hono<AppEnv>()
  control.post('/_mock/sso/answers', async (c) => {
    const body = await jsonBody<{
      connection_id?: string
      deny?: boolean
      email?: string
      first_name?: string
      last_name?: string
      name?: string
      groups?: string[]
      external_id?: string
      attributes?: Record<string, string | string[]>
    }>(c)
    const deny = body.deny === true
    const answer: SsoAnswer = {
      connection_id: body.connection_id ?? null,
      deny,
      email: deny ? null : body.email!.toLowerCase(),
      first_name: deny ? null : (body.first_name ?? null),
      last_name: deny ? null : (body.last_name ?? null),
      name: deny ? null : (body.name ?? null),
      groups: deny ? [] : (body.groups ?? []),
      external_id: deny ? null : (body.external_id ?? null),
      attributes: deny
        ? {}
        : Object.fromEntries(
            Object.entries(body.attributes ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
          ),
    }
    starts.queue(answer)
    return ok(c, { answer, answers: starts.queued() })
  })
  control.get('/_mock/sso/answers', (c) => ok(c, { answers: starts.queued() }))
  control.delete('/_mock/sso/answers', (c) => {
    starts.clearQueued()
    return ok(c, { answers: [] })
  })

  return { public: pub, api, sdk, control }
}

/** The page's answer: a denial, a member picked, or the identity typed (its email checked). */
function answerOf(
  form: AnswerForm,
  picked: (email: string) => PageAnswer & { email: string },
): PageAnswer {
  if (form.deny === 'true') return { deny: true }
  if (form.pick) return picked(form.pick)
  const email = (form.email ?? '').trim()
  if (!looksLikeEmail(email)) throw new StytchError('invalid_email')
  const attributes = namedRecord<string[]>()
  for (const line of (form.attributes ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue
    const at = line.indexOf('=')
    if (at <= 0) throw new StytchError('invalid_argument', `"${line.trim()}" is not name=value.`)
    const name = line.slice(0, at).trim()
    attributes[name] = [...(attributes[name] ?? []), line.slice(at + 1).trim()]
  }
  return {
    email,
    first_name: form.first_name?.trim() || undefined,
    last_name: form.last_name?.trim() || undefined,
    groups: (form.groups ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
    external_id: form.external_id?.trim() || undefined,
    attributes,
  }
}
