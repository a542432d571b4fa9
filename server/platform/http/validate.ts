// Requests validated from openapi.yaml, the one source of the request rules: the body, the query
// and the path parameters of the operation a route serves, before the route reads them. A failed
// rule is Stytch's 400 envelope: the error type the spec names for it (`x-error-type`), else
// `invalid_argument`, with a message naming the field. The validators are compiled by the build
// (dist/.../request-validators.cjs, matched to the spec by its SHA-256), so start-up pays nothing;
// without a current build (tests from source), each operation's are compiled on its first call.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERRORS, StytchError, type ErrorType } from '../../errors.js'
import { packageRoot } from '../../paths.js'
import type { Annotations, OperationSchemas } from './spec-schemas.js'

export interface AjvError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}
export type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null }

interface Compiled {
  body?: ValidateFn
  query?: ValidateFn
  path?: ValidateFn
  form: boolean
  json: boolean
  booleanQuery: string[]
  annotations: OperationSchemas['annotations']
}

/** What the build writes: each operation's validators and annotations, and the spec's hash. */
interface Precompiled {
  sha256: string
  operations: Record<string, Compiled>
}

export type Part = 'body' | 'query' | 'path'

/** The validators for one spec text: precompiled, or compiled here operation by operation. */
export class RequestValidators {
  #precompiled: Precompiled | null | undefined
  #compiled = new Map<string, Compiled | null>()
  #schemas: Map<string, OperationSchemas> | undefined
  #ajv: Promise<{ strict: AjvLike; coercing: AjvLike }> | undefined

  constructor(
    private readonly specText: string,
    private readonly sha256: string,
  ) {}

  /** The operation's validators (null: the spec has no such operation). */
  async forOperation(key: string): Promise<Compiled | null> {
    // Looked for once: without a matching build (null), every request would look again.
    if (this.#precompiled === undefined) this.#precompiled = loadPrecompiled(this.sha256)
    if (this.#precompiled) return this.#precompiled.operations[key] ?? null
    if (this.#compiled.has(key)) return this.#compiled.get(key)!
    const compiled = await this.compile(key)
    this.#compiled.set(key, compiled)
    return compiled
  }

  private async compile(key: string): Promise<Compiled | null> {
    if (!this.#schemas) {
      const [yaml, { operationSchemas }] = await Promise.all([
        import('yaml'),
        import('./spec-schemas.js'),
      ])
      const { parse } = commonJs(yaml)
      this.#schemas = new Map(operationSchemas(parse(this.specText)).map((op) => [op.key, op]))
    }
    const op = this.#schemas.get(key)
    if (!op) return null
    const { strict, coercing } = await (this.#ajv ??= makeAjv())
    return {
      ...(op.body ? { body: strict.compile(op.body.schema) } : {}),
      ...(op.query ? { query: coercing.compile(op.query) } : {}),
      ...(op.path ? { path: coercing.compile(op.path) } : {}),
      form: op.body?.form ?? false,
      json: op.body?.json ?? false,
      booleanQuery: op.booleanQuery,
      annotations: op.annotations,
    }
  }
}

/**
 * A CommonJS module's exports: Node gives them as named exports too, the command's bundle as its
 * default export only.
 */
export const commonJs = <T extends object>(m: T): T => (m as T & { default?: T }).default ?? m

interface AjvLike {
  compile(schema: object): ValidateFn
}

async function makeAjv() {
  const [ajv, { default: addFormats }] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
  ])
  const { Ajv2020 } = commonJs(ajv)
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv2020({ strict: false, coerceTypes })
    addFormats.default(ajv)
    return ajv as unknown as AjvLike
  }
  return { strict: make(false), coercing: make(true) }
}

/**
 * The build's validators: beside this module in dist/, or (running from source: tests, `npm run
 * dev`) in the last build's dist/, if built from this very spec. Parsing the spec's YAML alone
 * would cost a first request about 0.2 s.
 */
function loadPrecompiled(sha256: string): Precompiled | null {
  const name = 'request-validators.cjs'
  for (const file of [
    join(dirname(fileURLToPath(import.meta.url)), name),
    join(packageRoot(), 'dist/server/platform/http', name),
  ]) {
    if (!existsSync(file)) continue
    const mod = createRequire(import.meta.url)(file) as Precompiled
    if (mod.sha256 === sha256) return mod
  }
  return null
}

/** Read once per process: the spec's text and hash, and the validators made from it. */
let shared: RequestValidators | undefined
export function requestValidators(): RequestValidators {
  if (!shared) {
    const text = readFileSync(join(packageRoot(), 'openapi.yaml'), 'utf8')
    shared = new RequestValidators(text, createHash('sha256').update(text).digest('hex'))
  }
  return shared
}

/**
 * Throws Stytch's 400 for data that fails a part's validator: the error type and message of the
 * innermost subschemas the spec annotated on the failing rule's path (else invalid_argument, and a
 * message naming the field). Returns the (coerced) data.
 */
export function check<T>(
  validate: ValidateFn | undefined,
  data: T,
  part: Part,
  annotations: Annotations,
): T {
  if (!validate || validate(data)) return data
  const errors = validate.errors ?? []
  const err = errors[errors.length - 1]!
  // A missing field's own rule is at properties/<name>, beside the `required` that missed it.
  let at =
    err.keyword === 'required'
      ? err.schemaPath.replace(/required$/, `properties/${String(err.params.missingProperty)}`)
      : err.schemaPath
  // The innermost annotation of each kind up the failing rule's path: a subschema's message
  // speaks for the rules inside it (say what the whole field must be).
  let type: string | undefined
  let message: string | undefined
  while (at.length > 1 && (type === undefined || message === undefined)) {
    type ??= annotations[at]?.type
    message ??= annotations[at]?.message
    at = at.slice(0, at.lastIndexOf('/'))
  }
  const text = message?.replace('{field}', fieldName(err, part))
  if (type !== undefined && type in ERRORS) throw new StytchError(type as ErrorType, text)
  throw new StytchError('invalid_argument', text ?? describe(err, errors[0]!, part, data))
}

/** The field an error is about, as a reader writes it: `authentication_factors[0].type`. */
function fieldName(err: AjvError, part: Part): string {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '')
  return path && part !== 'body' ? `${part} parameter ${path}` : path
}

/**
 * `authentication_factors[0].type must be one of a, b, c, got "d".`, from ajv's error. For one
 * of several shapes (anyOf, oneOf), the first branch's complaint as an example.
 */
function describe(err: AjvError, first: AjvError, part: Part, data: unknown): string {
  if (err.keyword === 'oneOf' && err.params.passingSchemas)
    return `${fieldName(err, part) || `The request ${part}`} matches more than one of the shapes it may take: give one.`
  if ((err.keyword === 'anyOf' || err.keyword === 'oneOf') && first !== err)
    return `${fieldName(err, part) || `The request ${part}`} matches none of the shapes it may take, e.g. ${describe(first, first, part, data).replace(/\.$/, '')}.`
  const field = fieldName(err, part)
  const child = (name: unknown) =>
    field
      ? `${field}.${String(name)}`
      : `${part === 'body' ? '' : `${part} parameter `}${String(name)}`
  const value = err.instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], data)
  const p = err.params
  switch (err.keyword) {
    case 'required':
      return `${child(p.missingProperty)} is required.`
    case 'additionalProperties':
      return `${child(p.additionalProperty)} is not a field here.`
    case 'enum':
      return `${field} must be one of ${(p.allowedValues as unknown[]).join(', ')}, got ${JSON.stringify(value)}.`
    case 'type':
      return `${field} must be ${String(p.type).replace(/,/g, ' or ')}, got ${JSON.stringify(value)}.`
    default:
      return `${field || `The request ${part}`} ${err.message ?? 'is invalid'}.`
  }
}
