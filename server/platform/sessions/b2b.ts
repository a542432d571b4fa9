// B2B member sessions (/v1/b2b/sessions): authenticate, revoke, exchange between organizations.
import { StytchError } from '../../errors.js'
import type { IntermediateSessionRow, IntermediateSessionStore } from './intermediate-store.js'
import type { MemberObject, OrganizationObject, OrganizationStore } from './organization-store.js'
import type { SessionRow } from './session-store.js'
import { newSessionToken } from '../tokens/ids.js'
import type { JsonObject } from './claims.js'
import {
  type AccessInput,
  checkSessionInput,
  type Factor,
  type LoginVia,
  mergeFactors,
  type SessionArguments,
  type SessionCore,
  timestamps,
} from './core.js'
import { isMfaFactor, MfaPending, mfaRequired } from './member-mfa.js'
import { sessionRoleIds } from './organizations.js'
import type { AuthorizationCheck } from './rbac.js'
import type { RbacPolicies } from './rbac-policies.js'
import type { MfaTarget } from './second-factor.js'

export const ORGANIZATION_CLAIM = 'https://stytch.com/organization'
/** Session-creating B2B calls default to 60 minutes (Stytch's member-sessions docs). */
const DEFAULT_DURATION = 60
const INTERMEDIATE_SESSION_MINUTES = 10

export interface CreateMemberSession {
  member_id: string
  session_token?: string | undefined
  session_id?: string | undefined
  duration_minutes: number
  started_at?: string | undefined
  authentication_factors: unknown[]
  custom_claims?: JsonObject | undefined
  expires_at?: number | undefined
  jwt_issued_at?: number | undefined
}

export interface LoginSessionInput extends SessionArguments {
  intermediate_session_token?: string | undefined
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

/** What a login's session arguments named, found live. */
export interface PreparedLogin {
  ist?: IntermediateSessionRow
  session?: SessionRow
}

/** The session arguments of a call that may start a member session. */
type NewSessionInput = Pick<LoginSessionInput, 'session_duration_minutes' | 'session_custom_claims'>

export type ExchangeInput = SessionArguments & NewSessionInput & { organization_id: string }

export class MemberSessions {
  /** Who texts the member when a login stops at MFA (the b2b-otps product adds itself). */
  readonly mfaPending = new MfaPending()

  constructor(
    private readonly core: SessionCore,
    private readonly orgs: OrganizationStore,
    private readonly intermediate: IntermediateSessionStore,
    private readonly rbac: RbacPolicies,
  ) {}

  async create(input: CreateMemberSession) {
    return this.result(this.insert(input), true, undefined, undefined, input.jwt_issued_at)
  }

  /** Stores a new member session synchronously (fixtures seed through this in one transaction). */
  insert(input: CreateMemberSession): SessionRow {
    const member = this.orgs.member(input.member_id)
    if (!member) throw new StytchError('member_not_found')
    return this.core.insert({
      ...input,
      kind: 'member',
      subject_id: member.member_id,
      organization_id: member.organization_id,
      roles: sessionRoleIds(member, input.authentication_factors),
    })
  }

  async authenticate(
    input: AccessInput & { authorization_check?: AuthorizationCheck | undefined },
  ) {
    const row = await this.core.access('member', input)
    const check = input.authorization_check
    let verdict: ReturnType<RbacPolicies['authorize']> | undefined
    if (check) {
      const target =
        check.organization_id === undefined ? null : this.orgs.organization(check.organization_id)
      if (target?.organization_id !== row.organization_id) {
        throw new StytchError('session_authorization_tenancy_error')
      }
      verdict = this.rbac.authorize(
        row.roles,
        check,
        row.organization_id,
        'session_authorization_error',
      )
    }
    return { ...(await this.result(row, false)), ...(verdict ? { verdict } : {}) }
  }

  async revoke(
    input: SessionArguments & {
      member_session_id?: string | undefined
      member_id?: string | undefined
    },
  ) {
    const { member_id, member_session_id, ...rest } = input
    if (member_id !== undefined) {
      if (
        member_session_id !== undefined ||
        rest.session_token !== undefined ||
        rest.session_jwt !== undefined
      ) {
        throw new StytchError('too_many_session_revoke_arguments')
      }
      if (!this.orgs.member(member_id)) throw new StytchError('member_not_found')
      this.core.revokeAllOf('member', member_id, 'sessions.revoke by member_id')
      return
    }
    await this.core.revoke('member', { ...rest, session_id: member_session_id })
  }

  list(organizationId: string, memberId: string) {
    const org = this.orgs.organization(organizationId)
    if (!org) throw new StytchError('organization_not_found')
    const member = this.orgs.member(memberId)
    if (!member || member.organization_id !== org.organization_id)
      throw new StytchError('member_not_found')
    return this.core.active('member', member.member_id).map((row) => memberSessionObject(row, org))
  }

  /**
   * Switches a member's session to another organization where the same email is a member.
   * The original session stays active: Stytch documents no revocation here, and its example apps
   * simply overwrite their cookie with the new token. Its second factors stay behind: they proved
   * the other member's phone or authenticator app, not this one's.
   */
  async exchange(input: ExchangeInput) {
    const current = await this.core.find('member', input)
    const target = this.orgs.organization(input.organization_id)
    if (!target) throw new StytchError('organization_not_found')
    const from = this.orgs.member(current.subject_id)
    const member = from && this.orgs.memberByEmail(target.organization_id, from.email_address)
    if (!member) throw new StytchError('member_not_found')

    const primary = (current.authentication_factors as Factor[]).filter((f) => !isMfaFactor(f))
    return this.enter(member, target, primary, input)
  }

  /**
   * A B2B login's session arguments, checked before its passcode or link is spent: the
   * duration, the intermediate session and the session the call names (each must be live,
   * unless the frontend SDK sent it along by itself, as it does with what it has stored).
   */
  async prepareLogin(input: LoginSessionInput, via: LoginVia): Promise<PreparedLogin> {
    checkSessionInput(input)
    const prepared: PreparedLogin = {}
    if (input.intermediate_session_token !== undefined) {
      const ist = this.intermediate.get(input.intermediate_session_token)
      if (ist && ist.expires_at > this.core.now()) prepared.ist = ist
      else if (!via.ifLive) throw new StytchError('intermediate_session_not_found')
    }
    if (input.session_token !== undefined || input.session_jwt !== undefined) {
      const row = await this.core.find('member', input).catch((err: unknown) => {
        if (via.ifLive && err instanceof StytchError) return undefined
        throw err
      })
      if (row) prepared.session = row
    }
    return prepared
  }

  /**
   * The end of a B2B login flow: the factor joins the intermediate session (when it is this
   * member's) or the member's live session, as prepareLogin found them; then the member enters
   * the organization, or gets an intermediate session while its auth-method or MFA policy still
   * asks for more.
   */
  async login(
    member: MemberObject,
    organization: OrganizationObject,
    factor: Factor,
    input: LoginSessionInput,
    prepared: PreparedLogin,
  ) {
    if (prepared.ist?.member_id === member.member_id) {
      this.intermediate.delete(prepared.ist.token)
      const factors = mergeFactors(prepared.ist.authentication_factors as Factor[], factor)
      return this.enter(member, organization, factors, input)
    }
    if (prepared.session?.subject_id === member.member_id) {
      const target = { session: prepared.session }
      const result = await this.completeMfa(member, organization, factor, input, target)
      return { ...result, ...SIGNED_IN, member_id: member.member_id }
    }
    return this.enter(member, organization, [factor], input)
  }

  /**
   * The end of a second factor whose checks all passed before its code was spent
   * (SecondFactorLogins): the intermediate session becomes a member session holding both
   * factors, or the session gets the factor.
   */
  async completeMfa(
    member: MemberObject,
    organization: OrganizationObject,
    factor: Factor,
    input: LoginSessionInput,
    target: MfaTarget,
  ) {
    if ('session' in target) {
      this.core.addFactor(target.session, factor, input.session_duration_minutes)
      // An SSO factor may bring the roles its connection grants.
      this.orgs.syncSessionRoles(member)
      target.session.roles = sessionRoleIds(member, target.session.authentication_factors)
      return this.result(target.session, false, organization, member)
    }
    this.intermediate.delete(target.ist.token)
    const factors = mergeFactors(target.ist.authentication_factors as Factor[], factor)
    return this.open(member, organization, factors, input)
  }

  /**
   * What entering the organization with these factors would ask for, as enter decides it
   * (discovery lists this for every organization it finds).
   */
  requirements(member: MemberObject, organization: OrganizationObject, factors: Factor[]) {
    const primary_required = primaryRequired(organization, factors)
    // Discovery never sends the SMS (Stytch's docs): secondary_auth_initiated stays null.
    const mfa_required = mfaRequired(organization, member, factors)
    return {
      member_authenticated: !primary_required && !mfa_required,
      primary_required,
      mfa_required,
    }
  }

  /**
   * Discovery's end (intermediate_sessions/exchange, organizations/create): the member enters
   * the organization with the factors of a discovery intermediate session, as exchange does.
   */
  async enterFromDiscovery(
    member: MemberObject,
    organization: OrganizationObject,
    factors: Factor[],
    input: NewSessionInput,
  ) {
    return this.enter(member, organization, factors, input)
  }

  private async enter(
    member: MemberObject,
    target: OrganizationObject,
    factors: Factor[],
    input: NewSessionInput,
  ) {
    const primary_required = primaryRequired(target, factors)
    const mfa_required = mfaRequired(target, member, factors)
    const base = { member_id: member.member_id, member, organization: target }
    if (primary_required || mfa_required) {
      const token = newSessionToken()
      this.intermediate.insert({
        token,
        member_id: member.member_id,
        organization_id: target.organization_id,
        authentication_factors: factors,
        expires_at: this.core.now() + INTERMEDIATE_SESSION_MINUTES * 60,
      })
      // The primary step comes first: only then does Stytch text the member its passcode.
      if (mfa_required && !primary_required) this.mfaPending.start(target, member, mfa_required)
      return {
        ...base,
        member_authenticated: false,
        intermediate_session_token: token,
        session_token: '',
        session_jwt: '',
        mfa_required,
        primary_required,
      }
    }
    return { ...(await this.open(member, target, factors, input)), ...base, ...SIGNED_IN }
  }

  /** A new member session in the organization, holding these factors. */
  private async open(
    member: MemberObject,
    organization: OrganizationObject,
    factors: Factor[],
    input: NewSessionInput,
  ) {
    const row = this.insert({
      member_id: member.member_id,
      duration_minutes: input.session_duration_minutes ?? DEFAULT_DURATION,
      authentication_factors: factors,
      custom_claims: input.session_custom_claims,
    })
    return this.result(row, true, organization, member)
  }

  private async result(
    row: SessionRow,
    created: boolean,
    org?: OrganizationObject,
    member?: MemberObject,
    issuedAt?: number,
  ) {
    const organization = org ?? this.orgs.organization(row.organization_id!)
    const who = member ?? this.orgs.member(row.subject_id)
    if (!organization || !who) throw new StytchError('session_not_found')
    const session_jwt = await this.core.mint(
      row,
      {
        id: row.session_id,
        ...timestamps(row),
        authentication_factors: row.authentication_factors,
        roles: row.roles,
      },
      {
        [ORGANIZATION_CLAIM]: {
          organization_id: organization.organization_id,
          slug: organization.organization_slug,
        },
      },
      created,
      issuedAt,
    )
    return {
      member_session: memberSessionObject(row, organization),
      session_token: row.session_token,
      session_jwt,
      member: who,
      organization,
    }
  }
}

/** A login's answer once the member is in: no intermediate session, nothing more asked. */
const SIGNED_IN = {
  member_authenticated: true,
  intermediate_session_token: '',
  mfa_required: null,
  primary_required: null,
} as const

export function memberSessionObject(row: SessionRow, org: OrganizationObject) {
  return {
    member_session_id: row.session_id,
    member_id: row.subject_id,
    organization_id: org.organization_id,
    organization_slug: org.organization_slug,
    ...timestamps(row),
    authentication_factors: row.authentication_factors,
    custom_claims: row.custom_claims,
    roles: row.roles,
  }
}

/** The organization auth method a primary factor counts as (allowed_auth_methods values). */
function authMethod(f: Factor): string | undefined {
  if (f.type === 'magic_link') return 'magic_link'
  if (f.type === 'otp' && f.delivery_method === 'email') return 'email_otp'
  if (f.type === 'email_otp') return 'email_otp'
  if (f.type === 'password') return 'password'
  if (f.type === 'sso') return 'sso'
  if (f.type === 'oauth') return `${f.delivery_method.replace(/^oauth_/, '')}_oauth`
  return undefined
}

function primaryRequired(org: OrganizationObject, factors: Factor[]) {
  if (org.auth_methods !== 'RESTRICTED') return null
  const allowed = org.allowed_auth_methods as string[]
  const ok = factors.some((f) => !isMfaFactor(f) && allowed.includes(authMethod(f) ?? ''))
  return ok ? null : { allowed_auth_methods: allowed }
}
