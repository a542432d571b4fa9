// B2B passcodes: email (the B2B SDKs' `otps.email`, organization-scoped; discovery's are in
// products/discovery) and SMS (`otps.sms`, a member's second factor, which the platform's member
// sessions ask for by themselves when a login stops at MFA).
import { defineProduct } from '../../platform/product.js'
import { SecondFactorLogins } from '../../platform/sessions/second-factor.js'
import { MemberPasscodes } from './passcodes.js'
import { b2bOtpRoutes } from './routes.js'
import { MemberSmsPasscodes } from './sms.js'

export const b2bOtps = defineProduct<{
  b2bPasscodes: MemberPasscodes
  b2bSmsPasscodes: MemberSmsPasscodes
}>({
  name: 'b2b-otps',
  services: (p) => {
    const b2bSmsPasscodes = new MemberSmsPasscodes({
      clock: p.clock,
      orgs: p.orgs,
      logins: new SecondFactorLogins({ directory: p.directory, members: p.members }),
      secrets: p.secrets,
      outbox: p.outbox,
    })
    // Stytch texts the passcode itself when a login stops at MFA (secondary_auth_initiated).
    p.members.mfaPending.add(b2bSmsPasscodes.loginStoppedAtMfa)
    return {
      b2bPasscodes: new MemberPasscodes({
        core: p.memberLogins,
        directory: p.directory,
        members: p.members,
        secrets: p.secrets,
        outbox: p.outbox,
      }),
      b2bSmsPasscodes,
    }
  },
  routes: b2bOtpRoutes,
})
