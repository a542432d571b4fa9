// B2B recovery codes (the B2B SDKs' `recoveryCodes`, the frontend's `recoveryCodes`): the backup
// codes of a member's TOTP registration: recover, get, rotate. Completes MFA as every second
// factor does (the platform's SecondFactorLogins).
import { defineProduct } from '../../platform/product.js'
import { SecondFactorLogins } from '../../platform/sessions/second-factor.js'
import { MemberRecoveryCodes } from './recovery-codes.js'
import { b2bRecoveryCodeRoutes } from './routes.js'

export const b2bRecoveryCodes = defineProduct<{ memberRecoveryCodes: MemberRecoveryCodes }>({
  name: 'b2b-recovery-codes',
  services: (p) => ({
    memberRecoveryCodes: new MemberRecoveryCodes({
      clock: p.clock,
      totps: p.totps,
      logins: new SecondFactorLogins({ directory: p.directory, members: p.members }),
    }),
  }),
  routes: b2bRecoveryCodeRoutes,
})
