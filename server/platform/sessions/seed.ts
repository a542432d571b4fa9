// Arranging sessions for tests (/_mock): find or create the user, organization and member, then
// create a session exactly as a login would.
import { StytchError } from '../../errors.js'
import type { OrganizationStore } from './organization-store.js'
import type { SessionStore } from './session-store.js'
import type { UserStore } from './user-store.js'
import type { Clock } from '../../clock.js'
import type { MemberSessions } from './b2b.js'
import type { JsonObject } from './claims.js'
import type { ConsumerSessions } from './consumer.js'
import {
  buildMember,
  buildOrganization,
  memberFactorEmail,
  type NewOrganization,
} from './organizations.js'
import { emailMagicLinkFactor } from './factors.js'
import { buildUser, userFactorEmail } from './users.js'

interface SessionOptions {
  session_token?: string | undefined
  session_duration_minutes?: number | undefined
  /** Test control: expires this many seconds from now (0 or less: already expired). */
  expires_in_seconds?: number | undefined
  /** Test control: the returned JWT was minted this many seconds ago (over 300: expired). */
  jwt_age_seconds?: number | undefined
  authentication_factors?: unknown[] | undefined
  custom_claims?: JsonObject | undefined
}

export interface SeedConsumerInput extends SessionOptions {
  user_id?: string | undefined
  email?: string | undefined
  attributes?: JsonObject | undefined
  roles?: string[] | undefined
}

export interface SeedMemberInput extends SessionOptions {
  organization_id?: string | undefined
  organization_slug?: string | undefined
  member_id?: string | undefined
  email_address?: string | undefined
  /** Settings for an organization created here. */
  organization?: Omit<NewOrganization, 'organization_id' | 'organization_slug'> | undefined
  is_admin?: boolean | undefined
  /** A new member's roles besides the defaults. */
  roles?: string[] | undefined
  mfa_enrolled?: boolean | undefined
}

const bad = (message: string) => new StytchError('invalid_argument', message)

export class Seeder {
  constructor(
    private readonly deps: {
      clock: Clock
      users: UserStore
      orgs: OrganizationStore
      sessions: SessionStore
      consumer: ConsumerSessions
      members: MemberSessions
    },
  ) {}

  consumerSession(input: SeedConsumerInput) {
    const { users, consumer, clock } = this.deps
    this.checkSessionOptions(input)
    const now = clock.nowSeconds()
    let user = input.user_id !== undefined ? users.byId(input.user_id) : users.byEmail(input.email!)
    if (!user) {
      if (input.email !== undefined && users.byEmail(input.email))
        throw bad('That email belongs to another user.')
      user = buildUser({ user_id: input.user_id, email: input.email }, now)
      users.insert(user, input.email?.toLowerCase() ?? null, null)
    }
    return consumer.create({
      user_id: user.user_id,
      session_token: input.session_token,
      duration_minutes: input.session_duration_minutes ?? 60,
      ...this.aging(input, now),
      authentication_factors: input.authentication_factors ?? [
        emailMagicLinkFactor(userFactorEmail(user), now),
      ],
      attributes: input.attributes,
      custom_claims: input.custom_claims,
      roles: input.roles,
    })
  }

  memberSession(input: SeedMemberInput) {
    const { orgs, members, clock } = this.deps
    this.checkSessionOptions(input)
    const now = clock.nowSeconds()
    const {
      organization_id: orgId,
      organization_slug: slug,
      member_id: memberId,
      email_address: email,
    } = input
    let org = orgs.organization(orgId ?? slug!)
    if (!org) {
      const newSlug = slug ?? `org-${orgId!.slice(-12)}`
      if (orgs.organization(newSlug))
        throw bad(`organization_slug "${newSlug}" belongs to another organization.`)
      org = buildOrganization(
        { ...input.organization, organization_id: orgId, organization_slug: newSlug },
        now,
      )
      orgs.insertOrganization(org)
    }
    let member =
      memberId !== undefined
        ? orgs.member(memberId, true)
        : orgs.memberByEmail(org.organization_id, email!)
    if (member && member.organization_id !== org.organization_id)
      throw bad('That member belongs to another organization.')
    if (member?.status === 'deleted')
      throw bad('That member is deleted (organizations.members.delete); reactivate it first.')
    if (!member) {
      if (email === undefined) throw bad('email_address is needed to create a member.')
      if (orgs.memberByEmail(org.organization_id, email))
        throw bad('That email belongs to another member of the organization.')
      member = buildMember(
        {
          member_id: memberId,
          organization_id: org.organization_id,
          email_address: email,
          is_admin: input.is_admin,
          roles: input.roles,
          mfa_enrolled: input.mfa_enrolled,
        },
        now,
      )
      orgs.insertMember(member)
    }
    return members.create({
      member_id: member.member_id,
      session_token: input.session_token,
      duration_minutes: input.session_duration_minutes ?? 60,
      ...this.aging(input, now),
      authentication_factors: input.authentication_factors ?? [
        emailMagicLinkFactor(memberFactorEmail(member), now),
      ],
      custom_claims: input.custom_claims,
    })
  }

  /** A session seeded already aged: its expiry and its first JWT's iat, on the mock's clock. */
  private aging(input: SessionOptions, now: number) {
    const expiresAt =
      input.expires_in_seconds === undefined ? undefined : now + input.expires_in_seconds
    // A session seeded already expired gets a JWT that expired with it, unless an age is given:
    // otherwise its JWT would still verify locally for five minutes.
    const issuedAt =
      input.jwt_age_seconds !== undefined
        ? now - input.jwt_age_seconds
        : expiresAt !== undefined && expiresAt <= now
          ? expiresAt - 300
          : undefined
    return {
      ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      ...(issuedAt === undefined ? {} : { jwt_issued_at: issuedAt }),
    }
  }

  /** What the spec cannot say of a seeded session: its token must be new. */
  private checkSessionOptions(input: SessionOptions): void {
    if (input.session_token !== undefined && this.deps.sessions.tokenInUse(input.session_token))
      throw new StytchError('duplicate_session_token')
  }
}
