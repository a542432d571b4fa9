// B2B TOTP (the B2B SDKs' `totps`, the frontend's `totp`): a member's authenticator app as a
// second factor: create, authenticate, migrate. The registrations are the platform's
// (platform/login/totp.ts). The recovery-codes product completes MFA the same way, through this
// product's named interface SecondFactorLogins.
import { defineProduct } from '../../platform/product.js'
import { b2bTotpRoutes } from './routes.js'
import { SecondFactorLogins } from './second-factor.js'
import { MemberTotps } from './totps.js'

export type { SecondFactorLogins }

export const b2bTotps = defineProduct<{
  memberTotps: MemberTotps
  secondFactorLogins: SecondFactorLogins
}>({
  name: 'b2b-totps',
  services: (p) => {
    const logins = new SecondFactorLogins({ directory: p.directory, members: p.members })
    return {
      memberTotps: new MemberTotps({ clock: p.clock, orgs: p.orgs, totps: p.totps, logins }),
      secondFactorLogins: logins,
    }
  },
  routes: b2bTotpRoutes,
})
