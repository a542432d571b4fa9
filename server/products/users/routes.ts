// Consumer users: /v1/users (users.create, get, update, delete, search, exchangePrimaryFactor,
// deleteExternalId and the factor deletions), the frontend's user.get, user.update and
// user.delete* (/sdk/v1/users/...), and POST /_mock/users, a verified user with a password (and
// phone) in one call.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { privilegedCaller } from '../../platform/login/mfa-rule.js'
import type { Registration } from '../../platform/login/user-records.js'
import type { FactorList, UserObject } from '../../platform/sessions/user-store.js'
import type { UserAdmin, UserChanges } from './admin.js'
import type { SearchInput } from './search.js'

/** The factor deletions' paths: /v1/users/<segment>/{<param>}, and the user's list it names. */
const FACTOR_ROUTES: [segment: string, param: string, list: FactorList][] = [
  ['emails', 'email_id', 'emails'],
  ['phone_numbers', 'phone_id', 'phone_numbers'],
  ['webauthn_registrations', 'webauthn_registration_id', 'webauthn_registrations'],
  ['biometric_registrations', 'biometric_registration_id', 'biometric_registrations'],
  ['totps', 'totp_id', 'totps'],
  ['crypto_wallets', 'crypto_wallet_id', 'crypto_wallets'],
  ['oauth', 'oauth_user_registration_id', 'providers'],
]

type CreateBody = Omit<Registration, 'pending'> & { create_user_as_pending?: boolean }

export function userRoutes({
  config,
  clock,
  core,
  consumer,
  records,
  userAdmin,
}: Platform & { userAdmin: UserAdmin }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/users', async (c) => {
    const { create_user_as_pending, ...body } = await jsonBody<CreateBody>(c)
    const result = userAdmin.create({
      email: body.email,
      phone_number: body.phone_number,
      name: body.name,
      pending: create_user_as_pending,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
      external_id: body.external_id,
      roles: body.roles,
    })
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/users/search', async (c) => {
    return ok(c, userAdmin.search(await jsonBody<SearchInput>(c)))
  })

  // The factor deletions before /v1/users/{user_id}/...: a path of both shapes is a factor's.
  for (const [segment, param, list] of FACTOR_ROUTES) {
    api.delete(`/v1/users/${segment}/:${param}`, async (c) => {
      const { params } = await readInput(c)
      return answer(c, userAdmin.deleteFactor(list, params[param]!))
    })
  }
  api.delete('/v1/users/passwords/:password_id', async (c) => {
    const { params } = await readInput(c)
    return answer(c, userAdmin.deletePassword(params.password_id!))
  })

  // The user's fields at the top level, as Stytch's users.get answers.
  api.get('/v1/users/:user_id', async (c) => {
    const { params } = await readInput(c)
    const user = userAdmin.get(params.user_id!)
    c.set('subject', { user_id: user.user_id })
    return ok(c, user)
  })

  api.put('/v1/users/:user_id', async (c) => {
    const { params, body } = await readInput(c)
    const user = userAdmin.update(params.user_id!, body as UserChanges)
    c.set('subject', { user_id: user.user_id })
    return ok(c, { user_id: user.user_id, ...updated(user), user })
  })

  api.delete('/v1/users/:user_id', async (c) => {
    const { params } = await readInput(c)
    const user_id = userAdmin.delete(params.user_id!)
    c.set('subject', { user_id })
    return ok(c, { user_id })
  })

  api.put('/v1/users/:user_id/exchange_primary_factor', async (c) => {
    const { params, body } = await readInput(c)
    const to = body as { email_address?: string; phone_number?: string }
    return answer(c, userAdmin.exchangePrimaryFactor(params.user_id!, to))
  })

  api.delete('/v1/users/:user_id/external_id', async (c) => {
    const { params } = await readInput(c)
    return answer(c, userAdmin.deleteExternalId(params.user_id!))
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  sdk.get('/sdk/v1/users/me', async (c) => {
    const { session, user } = await consumer.authenticate(caller(c, 'CONSUMER'))
    c.set('subject', { session_id: session.session_id, user_id: user.user_id })
    return data(c, user)
  })

  /**
   * The caller's user, from the session it sends (checked before the request's input, as Stytch
   * answers 401 first).
   */
  const me = async (c: Parameters<typeof data>[0]) => {
    const { user_id } = await consumer.userOf(caller(c, 'CONSUMER'))
    c.set('subject', { user_id })
    return user_id
  }

  // The SDK keeps the user it reads from `__user` (user.getSync, user.onChange).
  sdk.put('/sdk/v1/users/me', async (c) => {
    const userId = await me(c)
    const { name, untrusted_metadata } = await jsonBody<UserChanges>(c)
    const user = userAdmin.update(userId, { name, untrusted_metadata })
    return data(c, { user_id: user.user_id, ...updated(user), __user: user })
  })

  // Deleting a factor is privileged (Stytch's MFA rule for the frontend SDK): a user with factors
  // of two kinds deletes one only from a session holding two kinds, one fresh.
  for (const [segment, param, list] of FACTOR_ROUTES) {
    sdk.delete(`/sdk/v1/users/${segment}/:${param}`, async (c) => {
      const session = caller(c, 'CONSUMER')
      const { user_id: userId } = await privilegedCaller({ core, records, clock }, session)
      c.set('subject', { user_id: userId })
      const { params } = await readInput(c)
      const user = userAdmin.deleteFactor(list, params[param]!, userId)
      return data(c, { user_id: user.user_id, __user: user })
    })
  }

  const control = new Hono<AppEnv>()
  control.post('/_mock/users', async (c) => {
    const body = await jsonBody<{
      email: string
      password?: string
      phone_number?: string
      name?: UserObject['name']
    }>(c)
    const user = await records.seed(body)
    c.set('subject', { user_id: user.user_id })
    return ok(c, { user_id: user.user_id, user })
  })

  return { api, sdk, control }
}

/** A factor deletion's or exchange's answer: the user, and its id beside it. */
function answer(c: Parameters<typeof ok>[0], user: UserObject) {
  c.set('subject', { user_id: user.user_id })
  return ok(c, { user_id: user.user_id, user })
}

/** What users.update answers beside the user: its emails, phone numbers and crypto wallets. */
const updated = (user: UserObject) => ({
  emails: user.emails,
  phone_numbers: user.phone_numbers,
  crypto_wallets: user.crypto_wallets,
})
