import type { Db } from './db.js'

export interface IntermediateSessionRow {
  token: string
  member_id: string
  organization_id: string
  authentication_factors: unknown[]
  expires_at: number
}

export class IntermediateSessionStore {
  readonly #insert

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO intermediate_sessions (token, member_id, organization_id, authentication_factors, expires_at) VALUES (?, ?, ?, ?, ?)',
    )
  }

  insert(row: IntermediateSessionRow): void {
    this.#insert.run(
      row.token,
      row.member_id,
      row.organization_id,
      JSON.stringify(row.authentication_factors),
      row.expires_at,
    )
  }
}
