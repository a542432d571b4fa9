// What the outbox holds: one email, text or WhatsApp message the login flows sent. Types only,
// so the package's declarations can name it without the store behind it.
export type Channel = 'email' | 'sms' | 'whatsapp'

export interface OutboxMessage {
  message_id: string
  channel: Channel
  /** The email address (lower case) or E.164 phone number it went to. */
  to: string
  kind: 'otp' | 'magic_link' | 'password_reset'
  /** On the mock's clock. */
  created_at: string
  expires_at: string
  /** What the message says, as an email or text would. */
  text: string
  otp_code?: string
  token?: string
  /** The full link the user would click (a password reset's: the reset page). */
  url?: string
  /** A password reset's second link: log in without a password (stytch_token_type=login). */
  login_url?: string
  method_id: string
  user_id?: string
  member_id?: string
  organization_id?: string
}
