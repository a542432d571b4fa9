// B2B passwords (the B2B SDKs' `passwords`): organization-scoped authenticate, resets by email,
// by the existing password and by session, require_reset, migrate, the strength rule, and
// discovery's password flows. Uses discovery through its named interface (DiscoveryEntry).
import { OneTimeSecrets } from '../../platform/login/one-time.js'
import { LoginSecretStore } from '../../platform/login/store.js'
import { defineProduct } from '../../platform/product.js'
import type { DiscoveryEntry } from '../discovery/logins.js'
import { MemberPasswords } from './passwords.js'
import { b2bPasswordRoutes } from './routes.js'
import { RESET_SECRETS_TABLE, ResetRequired, SCHEMA } from './store.js'

export const b2bPasswords = defineProduct<
  { memberPasswords: MemberPasswords },
  { discovery: DiscoveryEntry }
>({
  name: 'b2b-passwords',
  schema: SCHEMA,
  services: (p) => ({
    memberPasswords: new MemberPasswords({
      clock: p.clock,
      orgs: p.orgs,
      directory: p.directory,
      members: p.members,
      memberLogins: p.memberLogins,
      core: p.core,
      passwords: p.passwordHashes,
      policy: p.passwordPolicy,
      resets: p.passwordResets,
      secrets: new OneTimeSecrets(
        new LoginSecretStore(p.db, RESET_SECRETS_TABLE),
        p.clock,
        p.config.otpCode,
      ),
      required: new ResetRequired(p.db),
      outbox: p.outbox,
      discovery: p.discovery,
      redirectUrls: p.config.redirectUrls.b2b,
    }),
  }),
  routes: b2bPasswordRoutes,
})
