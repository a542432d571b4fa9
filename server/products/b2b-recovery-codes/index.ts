// B2B recovery codes (the B2B SDKs' `recoveryCodes`, the frontend's `recoveryCodes`): the backup
// codes of a member's TOTP registration: recover, get, rotate. Completes MFA through the TOTP
// product's named interface SecondFactorLogins.
import { defineProduct } from '../../platform/product.js'
import type { SecondFactorLogins } from '../b2b-totps/second-factor.js'
import { MemberRecoveryCodes } from './recovery-codes.js'
import { b2bRecoveryCodeRoutes } from './routes.js'

export const b2bRecoveryCodes = defineProduct<
  { memberRecoveryCodes: MemberRecoveryCodes },
  { secondFactorLogins: SecondFactorLogins }
>({
  name: 'b2b-recovery-codes',
  services: (p) => ({
    memberRecoveryCodes: new MemberRecoveryCodes({
      clock: p.clock,
      totps: p.totps,
      logins: p.secondFactorLogins,
    }),
  }),
  routes: b2bRecoveryCodeRoutes,
})
