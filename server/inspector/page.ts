// What one page of the inspector shows: the view the address asks for, read from the world.
import type { JournalEntry } from '../platform/journal/journal.js'
import type { Fault } from '../platform/journal/faults.js'
import { ERRORS } from '../errors.js'
import type { OutboxMessage } from '../platform/login/message.js'
import type { M2MClient } from '../products/m2m/store.js'
import type { ConnectedApp } from '../products/connected-apps/types.js'
import type { OAuthAnswer } from '../products/oauth/store.js'
import type { MemberObject, OrganizationObject } from '../platform/sessions/organization-store.js'
import type { UserObject } from '../platform/sessions/user-store.js'
import { checkJwt, type JwtCheck } from './jwt-check.js'
import type {
  ClockModel,
  CurrentJwt,
  Inspector,
  KeyItem,
  Paged,
  PasskeyItem,
  SessionItem,
  StoryItem,
  TotpItem,
  UiQuery,
  View,
  WalletItem,
  ConnectedAppItem,
} from './model.js'
import type { SnapshotTaken, ControlCall } from './recorder.js'

/** Rows an embedded list (a user's journal entries, an organization's sessions) shows. */
const EMBEDDED = 50

export type Content =
  | { kind: 'sessions'; query: UiQuery; page: ReturnType<Inspector['sessions']> }
  | {
      kind: 'session'
      id: string
      item: SessionItem | undefined
      story: StoryItem[]
      jwt: CurrentJwt | undefined
    }
  | { kind: 'users'; query: UiQuery; page: ReturnType<Inspector['users']> }
  | {
      kind: 'user'
      id: string
      user: UserObject | null
      sessions: SessionItem[]
      totps: TotpItem[]
      passkeys: PasskeyItem[]
      wallets: WalletItem[]
      connectedApps: ConnectedAppItem[]
      journal: JournalEntry[]
      outbox: OutboxMessage[]
    }
  | {
      kind: 'orgs'
      query: UiQuery
      page: Paged<ReturnType<Inspector['organizations']>['items'][number]>
    }
  | {
      kind: 'org'
      id: string
      org: OrganizationObject | null
      members: ReturnType<Inspector['members']>
      sessions: SessionItem[]
      scim: ReturnType<Inspector['scimOf']>
      sso: ReturnType<Inspector['ssoOf']>
    }
  | {
      kind: 'member'
      id: string
      member: MemberObject | null
      sessions: SessionItem[]
      totps: TotpItem[]
      journal: JournalEntry[]
    }
  | {
      kind: 'journal'
      query: UiQuery
      journal: ReturnType<Inspector['journalPage']>
      control: ControlCall[]
    }
  | {
      kind: 'keys'
      keys: KeyItem[]
      jwksPath: string
      m2mClients: M2MClient[]
      connectedApps: ConnectedApp[]
      dynamicRegistration: boolean
    }
  | { kind: 'faults'; faults: Fault[]; errorTypes: string[]; paths: string[] }
  | { kind: 'outbox'; messages: OutboxMessage[]; answers: OAuthAnswer[] }
  | { kind: 'jwt'; query: UiQuery; check: JwtCheck | undefined }
  | { kind: 'state'; snapshots: SnapshotTaken[] }

export interface ViewModel {
  title: string
  /** The tab the page belongs under. */
  tab: View
  projectId: string
  clock: ClockModel
  content: Content
}

const FAULT_PATHS = [
  '/v1/*',
  '/v1/sessions/authenticate',
  '/v1/sessions/revoke',
  '/v1/sessions/jwks/*',
  '/v1/b2b/sessions/authenticate',
  '/v1/b2b/sessions/exchange',
  '/sdk/v1/*',
  '/sdk/v1/sessions/authenticate',
]

export async function buildView(inspector: Inspector, query: UiQuery): Promise<ViewModel> {
  const base = { projectId: inspector.world.config.projectId, clock: inspector.clock() }
  if (query.session) {
    const item = inspector.session(query.session)
    return {
      ...base,
      title: 'Session',
      tab: 'sessions',
      content: {
        kind: 'session',
        id: query.session,
        item,
        story: item ? inspector.story(item) : [],
        jwt: item ? await inspector.currentJwt(item.row) : undefined,
      },
    }
  }
  if (query.user) {
    const user = inspector.user(query.user)
    const id = user?.user_id ?? query.user
    const addresses = new Set(
      user
        ? [
            ...(user.emails as { email: string }[]).map((e) => e.email),
            ...(user.phone_numbers as { phone_number: string }[]).map((p) => p.phone_number),
          ]
        : [],
    )
    return {
      ...base,
      title: 'User',
      tab: 'users',
      content: {
        kind: 'user',
        id,
        user,
        sessions: user ? inspector.sessionsOf('consumer', id) : [],
        totps: user ? inspector.totpsOf(id) : [],
        passkeys: user ? inspector.passkeysOf(user) : [],
        wallets: user ? inspector.walletsOf(user) : [],
        connectedApps: user ? inspector.connectedAppsOf('consumer', id) : [],
        journal: user
          ? inspector
              .journal()
              .filter((e) => e.user_id === id)
              .slice(0, EMBEDDED)
          : [],
        outbox: user
          ? inspector.outbox((m) => m.user_id === id || addresses.has(m.to), EMBEDDED)
          : [],
      },
    }
  }
  if (query.org) {
    const org = inspector.organization(query.org)
    return {
      ...base,
      title: 'Organization',
      tab: 'orgs',
      content: {
        kind: 'org',
        id: query.org,
        org,
        members: org ? inspector.members(org.organization_id) : [],
        sessions: org ? inspector.organizationSessions(org.organization_id) : [],
        scim: org ? inspector.scimOf(org.organization_id) : null,
        sso: org ? inspector.ssoOf(org.organization_id) : [],
      },
    }
  }
  if (query.member) {
    const member = inspector.member(query.member)
    return {
      ...base,
      title: 'Member',
      tab: 'orgs',
      content: {
        kind: 'member',
        id: query.member,
        member,
        sessions: member ? inspector.sessionsOf('member', member.member_id) : [],
        totps: member ? inspector.totpsOf(member.member_id) : [],
        journal: member
          ? inspector
              .journal()
              .filter((e) => e.member_id === member.member_id)
              .slice(0, EMBEDDED)
          : [],
      },
    }
  }
  const tab = query.view
  const titled = (title: string, content: Content): ViewModel => ({ ...base, title, tab, content })
  switch (query.view) {
    case 'sessions':
      return titled('Sessions', { kind: 'sessions', query, page: inspector.sessions(query) })
    case 'users':
      return titled('Users', { kind: 'users', query, page: inspector.users(query) })
    case 'orgs':
      return titled('Organizations', {
        kind: 'orgs',
        query,
        page: inspector.organizations(query),
      })
    case 'journal':
      return titled('Journal', {
        kind: 'journal',
        query,
        journal: inspector.journalPage(query),
        control: inspector.controlCalls().slice(0, EMBEDDED * 2),
      })
    case 'keys':
      return titled('Keys', {
        kind: 'keys',
        keys: inspector.keys(),
        jwksPath: `/v1/sessions/jwks/${inspector.world.config.projectId}`,
        m2mClients: inspector.world.m2mClients.search({ limit: 1000 }).m2m_clients,
        connectedApps: inspector.world.connectedApps.search({ limit: 1000 }).connected_apps,
        dynamicRegistration: inspector.world.connectedApps.dynamicRegistrationEnabled(),
      })
    case 'faults':
      return titled('Faults', {
        kind: 'faults',
        faults: inspector.faults(),
        errorTypes: Object.keys(ERRORS).sort(),
        paths: FAULT_PATHS,
      })
    case 'outbox':
      return titled('Outbox', {
        kind: 'outbox',
        messages: inspector.outbox(),
        answers: inspector.oauthAnswers(),
      })
    case 'jwt':
      return titled('JWT check', {
        kind: 'jwt',
        query,
        check: query.jwt ? await checkJwt(inspector, query.jwt) : undefined,
      })
    case 'state':
      return titled('Reset and snapshots', { kind: 'state', snapshots: inspector.snapshots() })
  }
}
