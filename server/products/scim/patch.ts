// RFC 7644 §3.5.2 PATCH on a resource (User or Group, as stored): add, replace and remove, in the
// shapes identity providers send: the op in any case (Entra's "Replace"), a path or none (then the
// value's attributes are the targets, dotted names and extension URNs included), value filters
// with a sub-attribute (`emails[type eq "work"].value`), a remove of listed members
// (`{"op":"remove","path":"members","value":[{"value":"id"}]}`), booleans as "True"/"False".
import { ScimError } from './errors.js'
import { attrPath, keyOf, matches, parsePatchPath, type AttrPath, type Filter } from './filter.js'
import { canonical, canonicalName, ENTERPRISE_SCHEMA } from './resource.js'
import type { Resource } from './store.js'

export interface PatchOperation {
  op: string
  path?: string
  value?: unknown
}

type Op = 'add' | 'replace' | 'remove'
type Obj = Record<string, unknown>

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
/**
 * What makes elements of a multi-valued attribute the same: their `value`s, else the whole
 * element. A set of these keys keeps adds and removes linear in the list's length.
 */
const elementKey = (e: unknown): unknown =>
  isObject(e) && 'value' in e
    ? typeof e.value === 'object' && e.value !== null
      ? e.value
      : `v:${typeof e.value}:${String(e.value)}`
    : `j:${JSON.stringify(e)}`

const bad = (scimType: string, detail: string) => new ScimError(400, scimType, detail)

/** The operations applied in order to a copy of the resource; `readOnly` names refuse a write. */
export function applyPatch(
  resource: Resource,
  operations: PatchOperation[],
  readOnly: string[] = [],
): Resource {
  const out = structuredClone(resource)
  const locked = new Set(['id', 'meta', 'schemas', ...readOnly].map((n) => n.toLowerCase()))
  for (const operation of operations) {
    const op = operation.op.toLowerCase() as Op
    if (!['add', 'replace', 'remove'].includes(op))
      throw bad('invalidSyntax', `Unknown PATCH op "${operation.op}".`)
    if (operation.path === undefined || operation.path === '') {
      if (op === 'remove') throw bad('noTarget', 'A remove operation needs a path.')
      if (!isObject(operation.value))
        throw bad('invalidValue', `An ${op} operation without a path needs an object value.`)
      for (const [key, value] of Object.entries(operation.value)) {
        if (canonicalName(key) === ENTERPRISE_SCHEMA) {
          if (!isObject(value)) throw bad('invalidValue', `${key} must be an object.`)
          for (const [sub, v] of Object.entries(value))
            apply(out, { path: { schema: ENTERPRISE_SCHEMA, names: [sub] } }, op, v, locked)
        } else {
          const path = attrPath(key)
          if (!path) throw bad('invalidPath', `Not an attribute: ${key}.`)
          // Read-only attributes among the value's are left as they are (Okta's group rename
          // sends the group's `id` beside its new displayName).
          if (!path.schema && locked.has(path.names[0]!.toLowerCase())) continue
          apply(out, { path }, op, value, locked)
        }
      }
    } else if (canonicalName(operation.path) === ENTERPRISE_SCHEMA) {
      // The extension named by its URN alone: the complex attribute its attributes are kept in.
      apply(out, { path: { names: [ENTERPRISE_SCHEMA] } }, op, operation.value, locked)
    } else {
      apply(out, parsePatchPath(operation.path), op, operation.value, locked)
    }
  }
  return out
}

function apply(
  resource: Resource,
  target: { path: AttrPath; filter?: Filter; sub?: string },
  op: Op,
  rawValue: unknown,
  locked: Set<string>,
): void {
  const { path } = target
  const names = path.names.map(canonicalName)
  if (!path.schema && locked.has(names[0]!.toLowerCase()))
    throw new ScimError(400, 'mutability', `${names[0]} cannot be modified.`)
  if (op !== 'remove' && rawValue === undefined)
    throw bad('invalidValue', `An ${op} operation needs a value.`)
  // The object the path starts from: the resource, or its extension's (made when written to).
  let scope: Obj = resource
  if (path.schema) {
    const schemaKey = canonicalName(path.schema)
    const key = keyOf(resource, schemaKey) ?? schemaKey
    if (!isObject(resource[key])) {
      if (op === 'remove') return
      resource[key] = {}
    }
    scope = resource[key] as Obj
  }
  const [first, second] = names as [string, string | undefined]
  const value = canonical(rawValue, canonicalName(target.sub ?? second ?? first))
  if (target.filter) {
    filtered(
      scope,
      first,
      target.filter,
      target.sub ? canonicalName(target.sub) : undefined,
      op,
      value,
    )
    return
  }
  if (second === undefined) {
    assign(scope, first, op, value)
    return
  }
  // `name.givenName`: the sub-attribute of a complex attribute (of each element, if multi-valued).
  const key = keyOf(scope, first) ?? first
  if (scope[key] === undefined || scope[key] === null) {
    if (op === 'remove') return
    scope[key] = {}
  }
  const parent = scope[key]
  const parents = Array.isArray(parent) ? parent.filter(isObject) : isObject(parent) ? [parent] : []
  if (parents.length === 0) throw bad('invalidPath', `${first} has no sub-attributes.`)
  for (const p of parents) assign(p, second, op, value)
}

/** One attribute of `container` added to, replaced or removed. */
function assign(container: Obj, name: string, op: Op, value: unknown): void {
  const key = keyOf(container, name) ?? name
  const existing = container[key]
  if (op === 'remove') {
    if (Array.isArray(existing) && value !== undefined) {
      const gone = new Set((Array.isArray(value) ? value : [value]).map(elementKey))
      container[key] = existing.filter((e) => !gone.has(elementKey(e)))
    } else delete container[key]
    return
  }
  if (Array.isArray(existing) || (op === 'add' && Array.isArray(value))) {
    const values = Array.isArray(value) ? value : [value]
    if (op === 'replace') container[key] = values
    else {
      const kept = Array.isArray(existing)
        ? [...existing]
        : existing === undefined
          ? []
          : [existing]
      const seen = new Set(kept.map(elementKey))
      for (const v of values) {
        const k = elementKey(v)
        if (!seen.has(k)) {
          seen.add(k)
          kept.push(v)
        }
      }
      container[key] = kept
    }
    return
  }
  // A complex attribute takes the sub-attributes given; the others stay (§3.5.2.1, §3.5.2.3).
  if (isObject(existing) && isObject(value)) container[key] = { ...existing, ...value }
  else container[key] = value
}

/** `attr[filter]` or `attr[filter].sub`: the matching elements changed. */
function filtered(
  scope: Obj,
  name: string,
  filter: Filter,
  sub: string | undefined,
  op: Op,
  value: unknown,
): void {
  const key = keyOf(scope, name) ?? name
  const elements = Array.isArray(scope[key]) ? (scope[key] as unknown[]) : []
  const hit = (e: unknown) => matches(e, filter)
  if (op === 'remove') {
    scope[key] = sub
      ? elements.map((e) => {
          if (!hit(e) || !isObject(e)) return e
          const { [keyOf(e, sub) ?? sub]: _, ...rest } = e
          return rest
        })
      : elements.filter((e) => !hit(e))
    return
  }
  if (!elements.some(hit)) {
    // Nothing matches: a filter that names the element (`type eq "work"`) makes it (as Entra
    // expects of a user without a work email yet); any other is RFC 7644's noTarget.
    const seed = seedOf(filter)
    if (!seed) throw bad('noTarget', `No ${name} value matches the filter.`)
    const element = sub ? { ...seed, [sub]: value } : isObject(value) ? { ...seed, ...value } : null
    if (!element) throw bad('invalidValue', `${name} values are objects.`)
    scope[key] = [...elements, element]
    return
  }
  scope[key] = elements.map((e) => {
    if (!hit(e) || !isObject(e)) return e
    if (sub) return { ...e, [keyOf(e, sub) ?? sub]: value }
    if (!isObject(value)) throw bad('invalidValue', `${name} values are objects.`)
    return op === 'replace' ? value : { ...e, ...value }
  })
}

/** The element a filter of `attr eq value` terms (joined by and) describes, else null. */
function seedOf(filter: Filter): Obj | null {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.path.names.length === 1)
    return { [canonicalName(filter.path.names[0]!)]: filter.value }
  if (filter.kind === 'logic' && filter.op === 'and') {
    const left = seedOf(filter.left)
    const right = seedOf(filter.right)
    return left && right ? { ...left, ...right } : null
  }
  return null
}
