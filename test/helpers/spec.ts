// openapi.yaml as a contract: every response a test receives is validated against it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { packageRoot } from '../../server/paths.js'

export const spec = parse(readFileSync(join(packageRoot(), 'openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(spec, 'openapi')

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
const templates = Object.keys(spec.paths)
  .map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params)

export function operationFor(
  method: string,
  path: string,
): { template: string; method: string } | null {
  const pathname = path.split('?')[0]!
  const found = templates.find((t) => t.regex.test(pathname))
  const m = method.toLowerCase()
  if (!found || !spec.paths[found.template]![m]) return null
  return { template: found.template, method: m }
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** Throws unless the response is declared for this operation and its body matches the schema. */
export function assertMatchesSpec(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  text: string,
): void {
  // CORS preflights (documented under the sdk tag) answer 204 with no body.
  if (method === 'OPTIONS' && status === 204 && text === '') return
  const op = operationFor(method, path)
  let ref: string
  if (op) {
    const responses = spec.paths[op.template]![op.method]!.responses
    const key = String(status) in responses ? String(status) : 'default'
    if (!(key in responses) || (key === 'default' && status < 400)) {
      throw new Error(`${method} ${path}: status ${status} is not declared in openapi.yaml`)
    }
    const r = `openapi#/paths/${escape(op.template)}/${op.method}/responses/${key}`
    const declared = responses[key] as { $ref?: string; content?: Record<string, unknown> }
    // A redirect (the OAuth start and consent page) is declared with headers only.
    if (!declared.$ref && !declared.content) {
      if (text !== '') throw new Error(`${method} ${path}: ${status} has a body, none declared`)
      return
    }
    const other = Object.keys(declared.content ?? {}).find((type) => type !== 'application/json')
    if (other) {
      if (!contentType?.startsWith(other))
        throw new Error(`${method} ${path}: content-type ${contentType}, expected ${other}`)
      return
    }
    ref = declared.$ref
      ? `openapi${declared.$ref}/content/application~1json/schema`
      : `${r}/content/application~1json/schema`
  } else {
    // Unknown routes answer the Stytch error envelope.
    if (status < 400)
      throw new Error(`${method} ${path}: ${status} for a route openapi.yaml does not declare`)
    ref = 'openapi#/components/schemas/Error'
  }
  if (!contentType?.startsWith('application/json')) {
    throw new Error(`${method} ${path}: content-type ${contentType}, expected application/json`)
  }
  const validate = ajv.getSchema(ref)
  if (!validate) throw new Error(`no schema at ${ref}`)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(
      `${method} ${path}: ${status} with a body that is not JSON: ${text.slice(0, 200)}`,
    )
  }
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status}: body does not match openapi.yaml:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body, null, 2).slice(0, 2000)}`,
    )
  }
}

export const specOperations = (): string[] =>
  Object.entries(spec.paths).flatMap(([template, item]) =>
    METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${template}`),
  )
