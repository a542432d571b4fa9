// The outbox: every email and text message the login flows "send", for tests to read instead of
// an inbox (GET /_mock/outbox). Kept in the database, so reset empties it and snapshots hold it.
import { type Clock, rfc3339 } from '../clock.js'
import type { OutboxStore } from '../store/login.js'
import { newId } from '../tokens/ids.js'

export type Channel = 'email' | 'sms'

export interface OutboxMessage {
  message_id: string
  channel: Channel
  /** The email address (lower case) or E.164 phone number it went to. */
  to: string
  kind: 'otp' | 'magic_link'
  /** On the mock's clock. */
  created_at: string
  expires_at: string
  /** What the message says, as an email or text would. */
  text: string
  otp_code?: string
  token?: string
  /** The full link the user would click. */
  url?: string
  method_id: string
  user_id?: string
  member_id?: string
  organization_id?: string
}

export const MAX_LIST = 1000

export class Outbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly clock: Clock,
  ) {}

  send(
    message: Omit<OutboxMessage, 'message_id' | 'created_at' | 'expires_at'> & {
      expires_at: number
    },
  ): OutboxMessage {
    const sent: OutboxMessage = {
      message_id: newId('message'),
      ...message,
      created_at: rfc3339(this.clock.nowSeconds()),
      expires_at: rfc3339(message.expires_at),
    }
    this.store.insert(sent.message_id, sent.to, sent)
    return sent
  }

  /** Newest last; `to` is matched case-insensitively for email addresses. */
  list(to: string | undefined, limit = 100): OutboxMessage[] {
    return this.store.list(to?.includes('@') ? to.toLowerCase() : to, limit) as OutboxMessage[]
  }

  clear(): void {
    this.store.clear()
  }
}
