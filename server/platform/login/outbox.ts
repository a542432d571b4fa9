// The outbox: every email and text message the login flows "send", for tests to read instead of
// an inbox (GET /_mock/outbox). Kept in the database, so reset empties it and snapshots hold it.
import { type Clock, rfc3339 } from '../../clock.js'
import type { OutboxStore } from './store.js'
import { newId } from '../tokens/ids.js'
import type { OutboxMessage } from './message.js'

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
