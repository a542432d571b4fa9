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
import type { MfaMethod } from './member-mfa.js'
import { memberRoleIds } from './organizations.js'
import type { AuthorizationCheck } from './rbac.js'
import type { RbacPolicies } from './rbac-policies.js'

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

export interface ExchangeInput extends SessionArguments {
  organization_id: string
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

/**
 * Sends the member a second factor by itself (B2B SMS passcodes): a login stopped at MFA for a
 * member whose SMS Stytch sends unprompted (mfaRequired's `secondary_auth_initiated`).
 */
export type MfaPendingListener = (member: MemberObject, organization: OrganizationObject) => void

export class MemberSessions {
  readonly #mfaPending: MfaPendingListener[] = []

  constructor(
    private readonly core: SessionCore,
    private readonly orgs: OrganizationStore,
    private readonly intermediate: IntermediateSessionStore,
    private readonly rbac: RbacPolicies,
  ) {}

  /**
   * Who sends an SMS passcode when a login stops at MFA (the b2b-otps product): Stytch sends it
   * after the primary factor, unasked, and says so in `mfa_required.secondary_auth_initiated`.
   * With no listener nothing is sent and nothing claims it was.
   */
  onMfaPending(listener: MfaPendingListener): void {
    this.#mfaPending.push(listener)
  }

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
      roles: memberRoleIds(member),
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
   * simply overwrite their cookie with the new token.
   */
  async exchange(input: ExchangeInput) {
    const current = await this.core.find('member', input)
    const target = this.orgs.organization(input.organization_id)
    if (!target) throw new StytchError('organization_not_found')
    const from = this.orgs.member(current.subject_id)
    const member = from && this.orgs.memberByEmail(target.organization_id, from.email_address)
    if (!member) throw new StytchError('member_not_found')

    return this.enter(member, target, current.authentication_factors as Factor[], input)
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
      this.core.addFactor(prepared.session, factor, input.session_duration_minutes)
      return {
        ...(await this.result(prepared.session, false, organization, member)),
        member_id: member.member_id,
        member_authenticated: true,
        intermediate_session_token: '',
        mfa_required: null,
        primary_required: null,
      }
    }
    return this.enter(member, organization, [factor], input)
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
    input: {
      session_duration_minutes?: number | undefined
      session_custom_claims?: JsonObject | undefined
    },
  ) {
    return this.enter(member, organization, factors, input)
  }

  private async enter(
    member: MemberObject,
    target: OrganizationObject,
    factors: Factor[],
    input: {
      session_duration_minutes?: number | undefined
      session_custom_claims?: JsonObject | undefined
    },
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
      if (
        mfa_required &&
        !primary_required &&
        this.#mfaPending.length > 0 &&
        smsFirst(target, member)
      ) {
        for (const send of this.#mfaPending) send(member, target)
        mfa_required.secondary_auth_initiated = 'sms_otp'
      }
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
    const row = this.insert({
      member_id: member.member_id,
      duration_minutes: input.session_duration_minutes ?? DEFAULT_DURATION,
      authentication_factors: factors,
      custom_claims: input.session_custom_claims,
    })
    const result = await this.result(row, true, target, member)
    return {
      ...result,
      ...base,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
      primary_required: null,
    }
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

const isMfaFactor = (f: Factor) =>
  f.type === 'totp' ||
  f.type === 'recovery_codes' ||
  (f.type === 'otp' && f.delivery_method !== 'email')

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

/**
 * What MFA still asks of the member entering the organization with these factors, or null: the
 * organization requires it of everyone (REQUIRED_FOR_ALL) or the member enrolled, and no factor
 * is a second factor the organization allows. `member_options` is what the member has set up of
 * the allowed methods (its phone, verified or not, and its TOTP registration), null when nothing
 * (the member must enroll first, as apps built on Stytch read it).
 */
export function mfaRequired(org: OrganizationObject, member: MemberObject, factors: Factor[]) {
  const needed = org.mfa_policy === 'REQUIRED_FOR_ALL' || member.mfa_enrolled === true
  const allowed = allowedMfaMethods(org, member)
  if (!needed || factors.some((f) => allowed.includes(mfaMethodOf(f) as MfaMethod))) return null
  const phone = allowed.includes('sms_otp') ? String(member.mfa_phone_number ?? '') : ''
  const totp = allowed.includes('totp') ? String(member.totp_registration_id ?? '') : ''
  return {
    member_options: phone || totp ? { mfa_phone_number: phone, totp_registration_id: totp } : null,
    secondary_auth_initiated: null as 'sms_otp' | null,
  }
}

/**
 * The second factors the organization lets this member use: both, unless its `mfa_methods` is
 * RESTRICTED to `allowed_mfa_methods` (which does not bind break-glass members, Stytch's docs).
 */
export function allowedMfaMethods(org: OrganizationObject, member: MemberObject): MfaMethod[] {
  if (org.mfa_methods !== 'RESTRICTED' || member.is_breakglass === true) return ['sms_otp', 'totp']
  return (org.allowed_mfa_methods as string[]).filter(
    (m): m is MfaMethod => m === 'sms_otp' || m === 'totp',
  )
}

/** The MFA method a second factor proves (recovery codes stand in for the authenticator app). */
function mfaMethodOf(f: Factor): MfaMethod | undefined {
  if (f.type === 'otp' && f.delivery_method === 'sms') return 'sms_otp'
  if (f.type === 'totp' || f.type === 'recovery_codes') return 'totp'
  return undefined
}

/**
 * Whether Stytch texts the member a passcode when a login stops at MFA: it has a phone number
 * (verified or not) the organization lets it use, and SMS is its default method or it has no
 * authenticator app to use instead.
 */
function smsFirst(org: OrganizationObject, member: MemberObject): boolean {
  const allowed = allowedMfaMethods(org, member)
  if (!allowed.includes('sms_otp') || !member.mfa_phone_number) return false
  const totp = allowed.includes('totp') && Boolean(member.totp_registration_id)
  return member.default_mfa_method === 'sms_otp' || !totp
}
