// The request rules of openapi.yaml, per operation: the JSON Schemas of its body, query and path
// parameters (local $refs inlined), and what the spec says a failing rule answers: its Stytch
// error type (`x-error-type` on a subschema; `invalid_argument` elsewhere) and, where a generic
// message would not help, its message (`x-error-message`). The build compiles them
// ahead (scripts/compile-request-schemas.mjs); validate.ts compiles them on demand otherwise.

export type Schema = Record<string, unknown>

export interface OperationSchemas {
  /** `POST /v1/sessions/authenticate`: the method and the spec's path template. */
  key: string
  /** `form`: it takes application/x-www-form-urlencoded; `json`: application/json (one schema). */
  body?: { schema: Schema; form: boolean; json: boolean }
  query?: Schema
  /** Query parameters the spec types boolean (they take Go's ParseBool spellings: True, 1, f...). */
  booleanQuery: string[]
  path?: Schema
  /** Per part: JSON pointer of an annotated subschema (as ajv's schemaPath has it) -> answer. */
  annotations: Record<'body' | 'query' | 'path', Annotations>
}

/** What a failing rule answers, by the JSON pointer of the subschema that states it. */
export type Annotations = Record<string, { type?: string; message?: string }>

const ANSWER_KEYS = { 'x-error-type': 'type', 'x-error-message': 'message' } as const

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: Schema
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

export function operationSchemas(spec: { paths: Record<string, Record<string, unknown>> }) {
  const resolve = (node: unknown, seen: string[] = []): unknown => {
    if (Array.isArray(node)) return node.map((n) => resolve(n, seen))
    if (!node || typeof node !== 'object') return node
    const { $ref, ...rest } = node as Record<string, unknown>
    if (typeof $ref === 'string') {
      if (seen.includes($ref)) throw new Error(`openapi.yaml: recursive request schema ${$ref}`)
      const target = $ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], spec)
      return { ...(resolve(target, [...seen, $ref]) as object), ...(resolve(rest, seen) as object) }
    }
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, resolve(v, seen)]))
  }
  const out: OperationSchemas[] = []
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method] as { parameters?: Parameter[]; requestBody?: unknown } | undefined
      if (!op) continue
      const params = (resolve([
        ...((item.parameters as Parameter[]) ?? []),
        ...(op.parameters ?? []),
      ]) ?? []) as Parameter[]
      const group = (where: string): Schema | undefined => {
        const list = params.filter((p) => p.in === where)
        if (list.length === 0) return undefined
        return {
          type: 'object',
          properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
          required: list.filter((p) => p.required || where === 'path').map((p) => p.name),
        }
      }
      const requestBody = resolve(op.requestBody) as
        { content?: Record<string, { schema?: Schema }> } | undefined
      const json = requestBody?.content?.['application/json']
      const form = requestBody?.content?.['application/x-www-form-urlencoded']
      const media = json ?? form
      const body = media
        ? {
            schema: media.schema ?? {},
            form: Boolean(form),
            json: Boolean(json),
          }
        : undefined
      const query = group('query')
      const path = group('path')
      out.push({
        key: `${method.toUpperCase()} ${template}`,
        ...(body ? { body } : {}),
        ...(query ? { query } : {}),
        booleanQuery: Object.entries((query?.properties ?? {}) as Record<string, Schema>)
          .filter(([, schema]) => schema.type === 'boolean')
          .map(([name]) => name),
        ...(path ? { path } : {}),
        annotations: {
          body: annotations(body?.schema),
          query: annotations(query),
          path: annotations(path),
        },
      })
    }
  }
  return out
}

/** Every `x-error-type` and `x-error-message`, by the JSON pointer ajv reports as schemaPath. */
function annotations(schema: unknown, at = '#', found: Annotations = {}): Annotations {
  if (Array.isArray(schema)) schema.forEach((s, i) => annotations(s, `${at}/${i}`, found))
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      const answer = ANSWER_KEYS[key as keyof typeof ANSWER_KEYS]
      if (answer && typeof value === 'string') found[at] = { ...found[at], [answer]: value }
      else annotations(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found)
    }
  }
  return found
}
