// RFC 7644 filters (§3.4.2.2) and PATCH paths (§3.5.2): a small recursive-descent parser and the
// test of a resource against a filter. Attribute names are case-insensitive; string comparisons
// too, but for `id` and `externalId` (caseExact in RFC 7643). A value path may go on to one of the
// element's sub-attributes (`emails[type eq "work"].value eq "x"`, as identity providers send it):
// the same element must match both. A bad filter or path is the protocol's 400.
import { ScimError } from './errors.js'

export interface AttrPath {
  /** An extension schema's URN the attribute belongs to (the core schemas' are dropped). */
  schema?: string
  /** The attribute and, if any, its sub-attribute: `['name', 'givenName']`. */
  names: string[]
}

type Literal = string | number | boolean | null
const COMPARE = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const
type CompareOp = (typeof COMPARE)[number]

export type Filter =
  | { kind: 'logic'; op: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: Literal }
  /** Some element of a multi-valued attribute matches `filter` (and `then`, on that element). */
  | { kind: 'value'; path: AttrPath; filter: Filter; then?: Filter }

/** What a PATCH operation's `path` names. */
export interface PatchPath {
  path: AttrPath
  /** `emails[type eq "work"]`: only the elements that match. */
  filter?: Filter
  /** `emails[type eq "work"].value`: that sub-attribute of them. */
  sub?: string
}

const CORE_SCHEMAS = new Set([
  'urn:ietf:params:scim:schemas:core:2.0:user',
  'urn:ietf:params:scim:schemas:core:2.0:group',
])
/** Nesting deeper than this is refused (a parser's stack is not the client's to fill). */
const MAX_DEPTH = 32

type Token =
  | { t: '(' | ')' | '[' | ']' }
  | { t: 'string'; v: string }
  | { t: 'word'; v: string }
  | { t: 'end' }

const invalid = (scimType: string, detail: string) => new ScimError(400, scimType, detail)

function tokenize(text: string, scimType: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
    } else if ('()[]'.includes(ch)) {
      tokens.push({ t: ch as '(' })
      i++
    } else if (ch === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      if (j >= text.length) throw invalid(scimType, `An unterminated string in "${text}".`)
      let v: unknown
      try {
        v = JSON.parse(text.slice(i, j + 1))
      } catch {
        throw invalid(scimType, `A string that is not valid JSON in "${text}".`)
      }
      tokens.push({ t: 'string', v: v as string })
      i = j + 1
    } else {
      let j = i
      while (j < text.length && !/[\s()[\]"]/.test(text[j]!)) j++
      tokens.push({ t: 'word', v: text.slice(i, j) })
      i = j
    }
  }
  tokens.push({ t: 'end' })
  return tokens
}

/** `name.givenName`, `urn:...:enterprise:2.0:User:manager.value`; null if it is not one. */
export function attrPath(text: string): AttrPath | null {
  let schema: string | undefined
  let rest = text
  if (/^urn:/i.test(text)) {
    const at = text.lastIndexOf(':')
    schema = text.slice(0, at)
    rest = text.slice(at + 1)
    if (CORE_SCHEMAS.has(schema.toLowerCase())) schema = undefined
  }
  if (!/^[A-Za-z$][\w$-]*(\.[A-Za-z$][\w$-]*)?$/.test(rest)) return null
  return { ...(schema === undefined ? {} : { schema }), names: rest.split('.') }
}

class Parser {
  #at = 0
  #depth = 0
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly scimType: string,
  ) {}

  peek(): Token {
    return this.tokens[this.#at]!
  }
  next(): Token {
    return this.tokens[this.#at++]!
  }
  fail(why: string): never {
    throw invalid(this.scimType, `${why} in "${this.text}".`)
  }
  keyword(word: string): boolean {
    const token = this.peek()
    if (token.t === 'word' && token.v.toLowerCase() === word) {
      this.#at++
      return true
    }
    return false
  }
  expect(t: '(' | ')' | ']'): void {
    if (this.next().t !== t) this.fail(`Expected "${t}"`)
  }

  or(): Filter {
    if (++this.#depth > MAX_DEPTH) this.fail('Too deeply nested a filter')
    let left = this.and()
    while (this.keyword('or')) left = { kind: 'logic', op: 'or', left, right: this.and() }
    this.#depth--
    return left
  }
  and(): Filter {
    let left = this.unary()
    while (this.keyword('and')) left = { kind: 'logic', op: 'and', left, right: this.unary() }
    return left
  }
  unary(): Filter {
    if (this.keyword('not')) {
      this.expect('(')
      const filter = this.or()
      this.expect(')')
      return { kind: 'not', filter }
    }
    if (this.peek().t === '(') {
      this.next()
      const filter = this.or()
      this.expect(')')
      return filter
    }
    const path = this.path()
    if (this.peek().t === '[') {
      this.next()
      const filter = this.or()
      this.expect(']')
      const token = this.peek()
      if (token.t === 'word' && token.v.startsWith('.')) {
        this.next()
        const sub = attrPath(token.v.slice(1))
        if (!sub || sub.schema || sub.names.length !== 1) this.fail(`Not an attribute: ${token.v}`)
        return { kind: 'value', path, filter, then: this.tail(sub) }
      }
      return { kind: 'value', path, filter }
    }
    return this.tail(path)
  }
  path(): AttrPath {
    const token = this.next()
    const path = token.t === 'word' ? attrPath(token.v) : null
    if (!path) this.fail('Expected an attribute')
    return path
  }
  tail(path: AttrPath): Filter {
    const token = this.next()
    const op = token.t === 'word' ? token.v.toLowerCase() : ''
    if (op === 'pr') return { kind: 'present', path }
    if (!(COMPARE as readonly string[]).includes(op)) this.fail('Expected an operator')
    return { kind: 'compare', path, op: op as CompareOp, value: this.literal() }
  }
  literal(): Literal {
    const token = this.next()
    if (token.t === 'string') return token.v
    if (token.t === 'word') {
      const word = token.v.toLowerCase()
      if (word === 'true') return true
      if (word === 'false') return false
      if (word === 'null') return null
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.v)) return Number(token.v)
    }
    return this.fail('Expected a value')
  }
  end(): void {
    if (this.peek().t !== 'end') this.fail('Unexpected text')
  }
}

/** A filter query parameter (400 invalidFilter if it is not one). */
export function parseFilter(text: string): Filter {
  const parser = new Parser(tokenize(text, 'invalidFilter'), text, 'invalidFilter')
  const filter = parser.or()
  parser.end()
  return filter
}

/** A PATCH operation's path (400 invalidPath if it is not one). */
export function parsePatchPath(text: string): PatchPath {
  const parser = new Parser(tokenize(text, 'invalidPath'), text, 'invalidPath')
  const path = parser.path()
  let filter: Filter | undefined
  let sub: string | undefined
  if (parser.peek().t === '[') {
    parser.next()
    filter = parser.or()
    parser.expect(']')
    const token = parser.peek()
    if (token.t === 'word' && token.v.startsWith('.')) {
      parser.next()
      const named = attrPath(token.v.slice(1))
      if (!named || named.schema || named.names.length !== 1)
        throw invalid('invalidPath', `Not an attribute: ${token.v} in "${text}".`)
      sub = named.names[0]
    }
  }
  parser.end()
  return { path, ...(filter ? { filter } : {}), ...(sub ? { sub } : {}) }
}

/** The key of `obj` that names `name`, whatever its case. */
export const keyOf = (obj: Record<string, unknown>, name: string): string | undefined => {
  const lower = name.toLowerCase()
  return Object.keys(obj).find((k) => k.toLowerCase() === lower)
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The values at `names` under `root` (arrays flattened on the way). */
function valuesAt(root: unknown, names: string[]): unknown[] {
  let at: unknown[] = [root]
  for (const name of names) {
    at = at
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter(isObject)
      .flatMap((obj) => {
        const key = keyOf(obj, name)
        return key === undefined ? [] : [obj[key]]
      })
  }
  return at.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined)
}

/** The object a path starts from: the resource, or its extension's object. */
export function scopeOf(resource: Record<string, unknown>, path: AttrPath): unknown {
  if (!path.schema) return resource
  const key = keyOf(resource, path.schema)
  return key === undefined ? undefined : resource[key]
}

const CASE_EXACT = new Set(['id', 'externalid'])

function compare(actual: unknown, op: CompareOp, expected: Literal, exact: boolean): boolean {
  if (expected === null) return op === 'ne' ? actual !== null : actual === null
  if (typeof expected === 'string' && typeof actual === 'string') {
    const a = exact ? actual : actual.toLowerCase()
    const e = exact ? expected : expected.toLowerCase()
    switch (op) {
      case 'eq':
        return a === e
      case 'ne':
        return a !== e
      case 'co':
        return a.includes(e)
      case 'sw':
        return a.startsWith(e)
      case 'ew':
        return a.endsWith(e)
      case 'gt':
        return a > e
      case 'ge':
        return a >= e
      case 'lt':
        return a < e
      case 'le':
        return a <= e
    }
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    switch (op) {
      case 'gt':
        return actual > expected
      case 'ge':
        return actual >= expected
      case 'lt':
        return actual < expected
      case 'le':
        return actual <= expected
    }
  }
  if (op === 'eq') return actual === expected
  if (op === 'ne') return actual !== expected
  return false
}

/**
 * Whether the filter reads one of these top-level core attributes (`names` in lower case); a
 * value filter's own terms read its elements' sub-attributes, not the resource's.
 */
export function reads(filter: Filter, names: Set<string>): boolean {
  switch (filter.kind) {
    case 'logic':
      return reads(filter.left, names) || reads(filter.right, names)
    case 'not':
      return reads(filter.filter, names)
    default:
      return !filter.path.schema && names.has(filter.path.names[0]!.toLowerCase())
  }
}

/** Whether the resource (or an element of a multi-valued attribute) matches the filter. */
export function matches(resource: unknown, filter: Filter): boolean {
  const scope = (path: AttrPath) =>
    isObject(resource) ? scopeOf(resource, path) : path.schema ? undefined : resource
  switch (filter.kind) {
    case 'logic':
      return filter.op === 'and'
        ? matches(resource, filter.left) && matches(resource, filter.right)
        : matches(resource, filter.left) || matches(resource, filter.right)
    case 'not':
      return !matches(resource, filter.filter)
    case 'present':
      return valuesAt(scope(filter.path), filter.path.names).some(
        (v) => v !== null && v !== '' && !(isObject(v) && Object.keys(v).length === 0),
      )
    case 'compare': {
      const values = valuesAt(scope(filter.path), filter.path.names)
      const exact = CASE_EXACT.has(filter.path.names.at(-1)!.toLowerCase())
      if (filter.op === 'ne') return !values.some((v) => compare(v, 'eq', filter.value, exact))
      if (filter.value === null && filter.op === 'eq') return values.every((v) => v === null)
      return values.some((v) => compare(v, filter.op, filter.value, exact))
    }
    case 'value':
      return valuesAt(scope(filter.path), filter.path.names).some(
        (element) =>
          matches(element, filter.filter) && (!filter.then || matches(element, filter.then)),
      )
  }
}
