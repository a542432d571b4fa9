// Impersonation (impersonation.authenticate, consumer and B2B): a support engineer logged in as a
// user or member, as the Stytch dashboard's "Impersonate" button starts it. The token is minted by
// test control (/_mock/impersonation) where the dashboard would; it is single use and lives five
// minutes; the session it gives lasts 60 minutes, cannot be extended, and carries the
// `impersonated` factor naming the impersonator.
import { randomUUID } from 'node:crypto'
import { rfc3339, type Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import { linkUrl } from '../../platform/login/rules.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import type { UserStore } from '../../platform/sessions/user-store.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import type { ImpersonationTokenStore } from './store.js'

const TOKEN_MINUTES = 5
const SESSION_MINUTES = 60

export interface MintInput {
  user_id?: string | undefined
  organization_id?: string | undefined
  member_id?: string | undefined
  impersonator_id?: string | undefined
  impersonator_email_address?: string | undefined
}

export class Impersonations {
  constructor(
    private readonly deps: {
      clock: Clock
      store: ImpersonationTokenStore
      users: UserStore
      orgs: OrganizationStore
      consumer: ConsumerSessions
      members: MemberSessions
      redirectUrls: RedirectUrls
    },
  ) {}

  /** What the dashboard's button makes: a token, and the login URL it opens with it. */
  mint(input: MintInput) {
    const { users, orgs } = this.deps
    let subject_id: string
    let organization_id: string | null = null
    if (input.user_id !== undefined) {
      const user = users.byId(input.user_id)
      if (!user) throw new StytchError('user_not_found')
      subject_id = user.user_id
    } else {
      const org = orgs.organization(input.organization_id!)
      if (!org) throw new StytchError('organization_not_found')
      const member = orgs.member(input.member_id!)
      if (!member || member.organization_id !== org.organization_id)
        throw new StytchError('member_not_found')
      ;[subject_id, organization_id] = [member.member_id, org.organization_id]
    }
    const token = newSessionToken()
    const expires_at = this.deps.clock.nowSeconds() + TOKEN_MINUTES * 60
    this.deps.store.insert({
      token,
      subject_id,
      organization_id,
      impersonator_id: input.impersonator_id ?? `member-test-${randomUUID()}`,
      impersonator_email_address: input.impersonator_email_address ?? 'support@example.com',
      expires_at,
    })
    const login = this.deps.redirectUrls[organization_id ? 'b2b' : 'consumer'].login
    return {
      impersonation_token: token,
      expires_at: rfc3339(expires_at),
      url: linkUrl(login, 'impersonation', token),
    }
  }

  async authenticateUser(token: string) {
    const taken = this.take(token, false)
    const result = await this.deps.consumer.create({
      user_id: taken.subject_id,
      duration_minutes: SESSION_MINUTES,
      authentication_factors: [this.factor(taken)],
    })
    return { ...result, user_id: taken.subject_id }
  }

  async authenticateMember(token: string) {
    const taken = this.take(token, true)
    const result = await this.deps.members.create({
      member_id: taken.subject_id,
      duration_minutes: SESSION_MINUTES,
      authentication_factors: [this.factor(taken)],
    })
    return {
      ...result,
      member_id: taken.subject_id,
      organization_id: taken.organization_id!,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
    }
  }

  /** The token, used up: unknown, used, expired or the other vertical's is not found. */
  private take(token: string, member: boolean) {
    // A token for the other vertical is not found, and stays usable there.
    const taken = this.deps.store.take(token, this.deps.clock.nowSeconds(), member)
    if (!taken) throw new StytchError('impersonation_token_not_found')
    return taken
  }

  private factor(t: { impersonator_id: string; impersonator_email_address: string }) {
    return loginFactor(
      'impersonated',
      'impersonation',
      {
        impersonated_factor: {
          impersonator_id: t.impersonator_id,
          impersonator_email_address: t.impersonator_email_address,
        },
      },
      this.deps.clock.nowSeconds(),
    )
  }
}
