// A start-up failure a user can act on: the setting (environment variable and flag), its value
// (a path, a port) and the cause in plain words. main.ts prints the message alone, no stack trace.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  statSync,
  unlinkSync,
} from 'node:fs'
import { dirname, resolve } from 'node:path'
import { FLAGS } from './cli.js'

export class StartupError extends Error {
  constructor(variable: string, value: string, problem: string, hint?: string) {
    const flag = Object.entries(FLAGS).find(([, [name]]) => name === variable)?.[0]
    super(
      `${variable}${flag ? ` (--${flag})` : ''} ${value}: ${problem}${hint ? `\n  ${hint}` : ''}`,
    )
  }
}

/** A file-system error in plain words. */
export function fsProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'read-only file system'
    case 'EISDIR':
      return 'is a folder, not a file'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    default:
      return e.message ?? String(err)
  }
}

/** Why SQLite could not open a database file, in the terms of the file system. */
export function databaseProblem(path: string, err: unknown): string {
  if ((err as { code?: string }).code === 'SQLITE_NOTADB') return 'is not a SQLite database'
  const dir = dirname(resolve(path))
  if (!existsSync(dir)) return `its folder ${dir} does not exist`
  if (existsSync(path) && statSync(path).isDirectory())
    return 'is a folder; give a file path in it, e.g. STYTCH_MOCK_DB=<folder>/stytch-mock.db'
  // Ask the file system directly: it knows read-only mounts and permissions, even for root.
  const existed = existsSync(path)
  try {
    closeSync(openSync(path, 'a'))
    if (!existed) unlinkSync(path)
  } catch (e) {
    return `cannot be created or written: ${fsProblem(e)}`
  }
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    return `its folder ${dir} is not writable (SQLite also writes -wal and -shm files there)`
  }
  return `cannot be opened (SQLite: ${(err as Error).message})`
}
