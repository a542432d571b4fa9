// Consumer one-time passcodes (otps/{email,sms,whatsapp}/{login_or_create,send} and
// otps/authenticate): a code to the outbox, redeemed once for a session with the otp factor
// Stytch records.
import type { Clock } from '../../clock.js'
import type { Channel } from '../../platform/login/message.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import type { Recipients, SendInput } from '../../platform/login/recipients.js'
import { normalEmail, SANDBOX } from '../../platform/login/rules.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { API, type AccessInput } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'

/**
 * The channel a phone passcode went by rides in its secret's address (`whatsapp:+1...`): SMS and
 * WhatsApp share the phone's secret (a new code by either replaces the last), and authenticate
 * records the factor of the channel that sent it.
 */
const WHATSAPP = 'whatsapp:'

export class Passcodes {
  constructor(
    private readonly deps: {
      clock: Clock
      recipients: Recipients
      sessions: ConsumerSessions
      secrets: OneTimeSecrets
      outbox: Outbox
    },
  ) {}

  /** otps/{email,sms,whatsapp}/{login_or_create,send}: a passcode to the outbox. */
  async send(channel: Channel, address: string, input: SendInput, via = API) {
    const to = channel === 'email' ? normalEmail(address) : address
    const minutes = input.expiration_minutes ?? 2
    const found = await this.deps.recipients.recipient(to, input, via)
    const { user, method_id, created } = found
    const sandbox = via === API && (to === SANDBOX.email || to === SANDBOX.phone)
    const { code, expires_at } = this.deps.secrets.passcode('otp', method_id, {
      subject_id: user.user_id,
      method_id,
      address: channel === 'whatsapp' ? WHATSAPP + to : to,
      expiration_minutes: minutes,
      ...(sandbox ? { code: SANDBOX.code } : {}),
    })
    this.deps.outbox.send({
      channel,
      to,
      kind: 'otp',
      text: `Your passcode is ${code}. It expires in ${minutes} minutes.`,
      otp_code: code,
      method_id,
      user_id: user.user_id,
      expires_at,
    })
    return {
      user_id: user.user_id,
      ...(channel === 'email' ? { email_id: method_id } : { phone_id: method_id }),
      method_id,
      user_created: created,
    }
  }

  async authenticate(method_id: string, code: string, session: AccessInput, via = API) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const secret = this.deps.secrets.redeemPasscode('otp', method_id, code)
    const user = this.deps.recipients.records.verify(
      this.deps.recipients.records.byId(secret.subject_id),
      method_id,
    )
    const now = this.deps.clock.nowSeconds()
    const whatsapp = secret.address.startsWith(WHATSAPP)
    const phone_number = whatsapp ? secret.address.slice(WHATSAPP.length) : secret.address
    const factor = secret.address.includes('@')
      ? loginFactor(
          'otp',
          'email',
          { email_factor: { email_id: method_id, email_address: secret.address } },
          now,
        )
      : loginFactor(
          'otp',
          whatsapp ? 'whatsapp' : 'sms',
          { phone_number_factor: { phone_id: method_id, phone_number } },
          now,
        )
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, method_id, reset_sessions: false }
  }
}
