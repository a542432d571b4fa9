import type { Db } from '../db.js'

export interface IntermediateSessionRow {
  token: string
  member_id: string
  organization_id: string
  authentication_factors: unknown[]
  expires_at: number
}

export class IntermediateSessionStore {
  readonly #insert
  readonly #get
  readonly #delete

  constructor(db: Db) {
    this.#get = db.prepare<
      [string],
      Omit<IntermediateSessionRow, 'authentication_factors'> & { authentication_factors: string }
    >('SELECT * FROM intermediate_sessions WHERE token = ?')
    this.#delete = db.prepare<[string]>('DELETE FROM intermediate_sessions WHERE token = ?')
    this.#insert = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO intermediate_sessions (token, member_id, organization_id, authentication_factors, expires_at) VALUES (?, ?, ?, ?, ?)',
    )
  }

  get(token: string): IntermediateSessionRow | null {
    const row = this.#get.get(token)
    return row
      ? { ...row, authentication_factors: JSON.parse(row.authentication_factors) as unknown[] }
      : null
  }

  delete(token: string): void {
    this.#delete.run(token)
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
