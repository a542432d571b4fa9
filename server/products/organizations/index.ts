// B2B organizations and their members (the B2B SDKs' `organizations`, `organizations.members`, and
// the frontend's `organization` and `self`), managed as apps manage them. The records are the
// platform's: every B2B login product finds and provisions members
// (platform/sessions/organization-store.ts). Other products record a member's OAuth provider
// tokens through its named interface MemberProviderTokens.
import { OneTimeSecrets } from '../../platform/login/one-time.js'
import { LoginSecretStore } from '../../platform/login/store.js'
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { EmailUpdates } from './email-updates.js'
import { MemberAdmin } from './members.js'
import { OrganizationAdmin } from './organizations.js'
import { ProviderTokenAnswers, type MemberProviderTokens } from './provider-tokens.js'
import type { OrganizationServices } from './api-routes.js'
import { organizationRoutes } from './routes.js'
import { EmailUpdateStore, ProviderTokenStore, SCHEMA } from './store.js'

export type { MemberProviderTokens }

export const organizations = defineProduct<
  Omit<OrganizationServices, 'members' | 'directory' | 'memberActions'> & {
    memberProviderTokens: MemberProviderTokens
  },
  { memberActions: MemberActions }
>({
  name: 'organizations',
  schema: SCHEMA,
  services: (p) => {
    const permissions = p.memberActions
    const tokens = new ProviderTokenStore(p.db)
    const base = {
      clock: p.clock,
      orgs: p.orgs,
      directory: p.directory,
      core: p.core,
      rbac: p.rbac,
      passwords: p.passwordHashes,
      totps: p.totps,
      secrets: p.secrets,
      permissions,
    }
    const memberAdmin = new MemberAdmin(base)
    // A secret that worked for a member's new address switches it only if it was an update's.
    const updates = new EmailUpdateStore(p.db)
    p.memberLogins.onEmailProof((memberId, email) => updates.take(memberId, email))
    const providerTokenAnswers = new ProviderTokenAnswers(tokens, p.clock)
    return {
      organizationAdmin: new OrganizationAdmin({ ...base, tokens }),
      memberAdmin,
      memberEmailUpdates: new EmailUpdates({
        clock: p.clock,
        admin: memberAdmin,
        permissions,
        // The organization login's own secrets: the link or passcode authenticates as a login.
        secrets: new OneTimeSecrets(new LoginSecretStore(p.db), p.clock, p.config.otpCode),
        outbox: p.outbox,
        updates,
        redirectUrls: p.config.redirectUrls.b2b,
      }),
      providerTokenAnswers,
      /** Named interface: the OAuth product records a member's provider tokens here. */
      memberProviderTokens: providerTokenAnswers as MemberProviderTokens,
    }
  },
  routes: organizationRoutes,
})
