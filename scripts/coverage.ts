// Generates the coverage table of the official Stytch SDKs against the mock's routes:
//   server/platform/stytch-api.json  the catalog of Stytch's API as the SDKs call it (read by the
//                                    server to answer 501 not_emulated for what it does not serve)
//   docs/coverage.md                 per product group, served / total, then every method
// Everything is enumerated from the INSTALLED packages, so an SDK upgrade regenerates it:
//   - backend (`stytch`): the public API from its type declarations (TypeScript's checker), each
//     method called on a real Client / B2BClient with a placeholder argument while the SDK's
//     request() is intercepted (recording HTTP method + URL), cross-checked against a static parse
//     of every request() call site in dist/b2c and dist/b2b;
//   - frontend (`@stytch/vanilla-js`): the public API from its type declarations, each method's
//     implementation found in the unminified dist/esm-dev build and followed, statically, to every
//     fetchSDK / retriableFetchSDK call (and OAuth/SSO `new URL(.../v1/...)` navigation) it reaches;
//   - served: the mock's Hono app built in memory and its routes listed.
// Usage: npx tsx scripts/coverage.ts           (writes both files)
//        npx tsx scripts/coverage.ts --check   (exits 1 when a checked-in file is stale)
import { EventEmitter } from 'node:events'
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { inspectRoutes } from 'hono/dev'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
// The type checker's JavaScript API: TypeScript 7 (the project's tsc) is a native compiler whose
// API is still unstable, so the SDKs' types are read with TypeScript 6's (npm alias typescript-6).
import ts from 'typescript-6'
import { createApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createWorld } from '../server/world.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

export const CATALOG_PATH = 'server/platform/stytch-api.json'
export const DOC_PATH = 'docs/coverage.md'
const COMMAND = 'npx tsx scripts/coverage.ts'

/** The project the backend SDK clients are built for (never contacted: every request is caught). */
const PROJECT_ID = 'project-test-00000000-0000-0000-0000-000000000000'
const ORGANIZATION_ID = 'organization-test-00000000-0000-0000-0000-000000000000'

// ---------------------------------------------------------------------------------------------
// Model

export type Side = 'backend' | 'frontend'

export interface CatalogEntry {
  method: string
  /** Path template, parameters as {name}. Frontend API paths start with /sdk/v1/. */
  path: string
  side: Side
  /** Every SDK method that calls it: Client.x.y, B2BClient.x.y, StytchClient.x.y, ... */
  sdk: string[]
  group: string
  /** Fraud methods go to the fraud host (telemetry.stytch.com), not the API base URL. */
  host?: 'fraud'
  /** A browser navigation (OAuth / SSO start), not a fetch. */
  navigation?: true
  /** Called by the SDK's own machinery (bootstrap, telemetry, pre-built UI), no public method. */
  internal?: true
}

interface Endpoint {
  method: string
  path: string
  /** A condition on the call, e.g. "isLoggedIn" / "not isLoggedIn" for primary/secondary. */
  when?: string
  host?: 'fraud'
  navigation?: true
}

interface SdkMethod {
  client: string
  /** The path below the client, e.g. ['users', 'get']. */
  path: string[]
  group: string
  endpoints: Endpoint[]
  /** Another public name of the same implementation (deprecated client property, ...). */
  aliasOf?: string
}

interface WrapperMethod {
  client: string
  path: string[]
  endpoints: Endpoint[]
  note: string
}

interface InternalCall {
  client: string
  caller: string
  endpoint: Endpoint
}

interface Surface {
  version: string
  clients: string[]
  methods: SdkMethod[]
  wrappers: WrapperMethod[]
  internals: InternalCall[]
  /** What the cross-checks found (empty when the static and dynamic views agree). */
  problems: string[]
  /** How the enumeration was cross-checked, for the document. */
  checks: string[]
  notes: string[]
}

export interface Totals {
  backend: { methods: number; served: number; endpoints: number; servedEndpoints: number }
  frontend: { methods: number; served: number; endpoints: number; servedEndpoints: number }
  byClient: Record<
    string,
    { methods: number; served: number; endpoints: number; servedEndpoints: number }
  >
}

export interface Generated {
  files: { path: string; text: string }[]
  totals: Totals
  versions: { stytch: string; vanillaJs: string }
  problems: string[]
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name))
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === name) return dir
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`coverage: cannot find the package folder of ${name}`)
    dir = up
  }
}

function packageVersion(dir: string): string {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version
}

/** userId -> user_id, _publicToken -> public_token, deleteMFAPhoneNumber -> delete_mfa_phone_number */
function snake(name: string): string {
  return name
    .replace(/^_+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const methodRank = (m: string) => {
  const i = METHOD_ORDER.indexOf(m)
  return i < 0 ? METHOD_ORDER.length : i
}
const byPathThenMethod = (a: Endpoint, b: Endpoint) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : methodRank(a.method) - methodRank(b.method)
const endpointKey = (e: { method: string; path: string }) => `${e.method} ${e.path}`

/**
 * The product group of an SDK method, in the backend SDK's terms (users, sessions, magic_links,
 * organizations.members, ...): the frontend's singular names (user, session, organization, totp)
 * and B2B `self` (the logged-in member) are mapped onto them.
 */
const GROUP_ALIASES: Record<string, string> = {
  user: 'users',
  session: 'sessions',
  organization: 'organizations',
  totp: 'totps',
  connected_app: 'connected_apps',
  self: 'organizations.members',
  member: 'organizations.members',
  projects: 'project',
}
function groupOf(methodPath: string[]): string {
  const first = snake(methodPath[0] ?? '')
  const group = GROUP_ALIASES[first] ?? first
  if (group === 'organizations' && methodPath[1] === 'members') return 'organizations.members'
  return group
}

/** Parameter names that read better under the name Stytch's API docs give them. */
const PARAM_ALIASES: Record<string, string> = { provider_type: 'provider' }
function paramName(expr: ts.Expression): string {
  let e: ts.Expression = expr
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression
    else if (ts.isCallExpression(e) && e.arguments[0]) e = e.arguments[0]
    else break
  }
  let raw = 'param'
  if (ts.isIdentifier(e)) raw = e.text
  else if (ts.isPropertyAccessExpression(e)) raw = e.name.text
  const name = snake(raw)
  return PARAM_ALIASES[name] ?? name
}

/** `a/{x}/b` -> `a/{}/b`: the shape of a template, whatever its parameter names. */
const shape = (p: string) => p.replace(/\{[^}]*\}/g, '{}')

// ---------------------------------------------------------------------------------------------
// Public API from the type declarations

interface TypedMethod {
  path: string[]
  deprecated: boolean
}

function typedApi(roots: { file: string; exportName: string }[]): Map<string, TypedMethod[]> {
  const program = ts.createProgram(
    roots.map((r) => r.file),
    {
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      // Enough for Record / Partial / Promise; the DOM types only slow the checker down.
      lib: ['lib.es5.d.ts'],
      types: [],
    },
  )
  const checker = program.getTypeChecker()
  const result = new Map<string, TypedMethod[]>()

  const walk = (
    type: ts.Type,
    prefix: string[],
    deprecated: boolean,
    stack: Set<ts.Type>,
    out: TypedMethod[],
  ) => {
    if (prefix.length > 6 || stack.has(type)) return
    const inner = new Set(stack).add(type)
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0]
      if (!decl) continue
      const flags = ts.getCombinedModifierFlags(decl)
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue
      if (prop.name.startsWith('_') || prop.name.startsWith('#')) continue
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl)
      const dep = deprecated || prop.getJsDocTags(checker).some((t) => t.name === 'deprecated')
      const methodPath = [...prefix, prop.name]
      if (propType.getCallSignatures().length > 0) out.push({ path: methodPath, deprecated: dep })
      else if (
        propType.flags & ts.TypeFlags.Object &&
        !checker.isArrayLikeType(propType) &&
        !(propType.getSymbol()?.declarations ?? []).some((d) =>
          program.isSourceFileDefaultLibrary(d.getSourceFile()),
        )
      )
        walk(propType, methodPath, dep, inner, out)
    }
  }

  for (const { file, exportName } of roots) {
    const sf = program.getSourceFile(file)
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf)
    const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol)
    let symbol = exported?.find((s) => s.name === exportName)
    if (!symbol) throw new Error(`coverage: ${file} exports no ${exportName}`)
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
    const out: TypedMethod[] = []
    walk(checker.getDeclaredTypeOfSymbol(symbol), [], false, new Set(), out)
    result.set(exportName, out)
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Backend: the `stytch` Node SDK

interface StaticSite {
  file: string
  className: string
  methodName: string
  method: string
  path: string
  host?: 'fraud'
}

/** Every request() call site in dist/b2c and dist/b2b: method, URL template, fraud host. */
function backendStaticSites(distDir: string): StaticSite[] {
  const sites: StaticSite[] = []
  for (const sub of ['b2c', 'b2b']) {
    const dir = path.join(distDir, sub)
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.js')) continue
      const file = path.join(dir, name)
      const text = readFileSync(file, 'utf8')
      if (!text.includes('request')) continue
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
      const visit = (node: ts.Node, className: string, methodName: string) => {
        if (ts.isClassDeclaration(node) && node.name) className = node.name.text
        if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name)) methodName = node.name.text
        if (ts.isCallExpression(node) && isRequestCallee(node.expression)) {
          const config = node.arguments[1]
          if (config && ts.isObjectLiteralExpression(config)) {
            const method = literalProp(config, 'method')
            const url = config.properties.find((p) => propName(p) === 'url')
            if (method && url && ts.isPropertyAssignment(url)) {
              const site: StaticSite = {
                file,
                className,
                methodName,
                method,
                path: templateText(url.initializer),
              }
              if (literalProp(config, 'baseURLType') === 'FRAUD') site.host = 'fraud'
              sites.push(site)
            }
          }
        }
        ts.forEachChild(node, (child) => visit(child, className, methodName))
      }
      visit(sf, '', '')
    }
  }
  return sites
}

/** `(0, _shared.request)`, `_shared.request` or `request`. */
function isRequestCallee(expr: ts.Expression): boolean {
  let e = expr
  while (ts.isParenthesizedExpression(e)) e = e.expression
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = e.right
  return (
    (ts.isPropertyAccessExpression(e) && e.name.text === 'request') ||
    (ts.isIdentifier(e) && e.text === 'request')
  )
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined
}

function literalProp(obj: ts.ObjectLiteralExpression, name: string): string | undefined {
  const p = obj.properties.find((q) => propName(q) === name)
  if (p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer))
    return p.initializer.text
  return undefined
}

/** A string or template literal with its substitutions as {name}. */
function templateText(expr: ts.Expression): string {
  if (ts.isStringLiteralLike(expr)) return expr.text
  if (ts.isTemplateExpression(expr))
    return (
      expr.head.text +
      expr.templateSpans.map((s) => `{${paramName(s.expression)}}` + s.literal.text).join('')
    )
  return `{${paramName(expr)}}`
}

interface Recorded {
  method: string
  url: string
  host?: 'fraud'
}

/**
 * Stand-in arguments: any property read gives "~name~" (which survives encodeURIComponent and
 * reads back as the parameter's name), or, for a method that calls array methods on its input
 * (m2m.token joins `scopes`), ["~name~"], which stringifies the same.
 */
const placeholder = (wrap: (s: string) => unknown): unknown =>
  new Proxy(
    {},
    {
      get(_target, key) {
        if (key === Symbol.toPrimitive) return () => '~arg~'
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined
        return wrap(`~${key}~`)
      },
    },
  )
const PLACEHOLDERS = [placeholder((s) => s), placeholder((s) => [s])]
const PLACEHOLDER = PLACEHOLDERS[0]

/** A concrete recorded URL back to a template: ~name~ sentinels and the project id as {name}. */
function templateOfRecorded(url: string): string {
  const pathname = url.startsWith('http') ? new URL(url).pathname : url.split('?')[0]!
  return pathname
    .replace(/~([A-Za-z0-9_]+)~/g, '{$1}')
    .split(PROJECT_ID)
    .join('{project_id}')
}

const STYTCH = 'stytch'
const VANILLA_JS = '@stytch/vanilla-js'
const BACKEND_ROOTS = [
  { name: 'Client', types: 'types/lib/index.d.ts' },
  { name: 'B2BClient', types: 'types/lib/index.d.ts' },
]
/** The headless clients: the package export (its unminified "development" build) and types. */
const FRONTEND_ROOTS = [
  { name: 'StytchClient', entry: './headless', types: 'dist/types/index.headless.d.ts' },
  { name: 'StytchB2BClient', entry: './b2b/headless', types: 'dist/types/b2b/index.headless.d.ts' },
]

async function backendSurface(
  typed: Map<string, TypedMethod[]>,
): Promise<{ surface: Surface; endpoints: Endpoint[] }> {
  const dir = packageDir(STYTCH)
  const version = packageVersion(dir)
  const problems: string[] = []

  // Static: every request() site, by the function object it lives in.
  const sites = backendStaticSites(path.join(dir, 'dist'))
  const siteByFn = new Map<unknown, StaticSite[]>()
  for (const site of sites) {
    const mod = require(site.file) as Record<string, { prototype?: Record<string, unknown> }>
    const fn = mod[site.className]?.prototype?.[site.methodName]
    if (typeof fn !== 'function') {
      problems.push(`static site ${site.className}.${site.methodName} not found at run time`)
      continue
    }
    siteByFn.set(fn, [...(siteByFn.get(fn) ?? []), site])
  }

  // Dynamic: the SDK's request() (and, for wrappers, fetch and the JWKS GET) intercepted.
  const shared = require(path.join(dir, 'dist/shared/index.js')) as { request: unknown }
  const stytch = require(STYTCH) as Record<string, new (config: object) => object>
  const log: Recorded[] = []
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'coverage', alg: 'RS256', use: 'sig' }
  const jwksBody = JSON.stringify({ keys: [jwk] })
  const jwt = await new SignJWT({
    scope: 'read:users',
    'https://stytch.com/session': {
      id: 'session-test-coverage',
      started_at: '2026-01-01T00:00:00Z',
      last_accessed_at: '2026-01-01T00:00:00Z',
      expires_at: '2099-01-01T00:00:00Z',
      attributes: {},
      authentication_factors: [],
      roles: ['stytch_user'],
    },
    'https://stytch.com/organization': { organization_id: ORGANIZATION_ID, slug: 'coverage' },
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'coverage', typ: 'JWT' })
    .setIssuer(`stytch.com/${PROJECT_ID}`)
    .setAudience(PROJECT_ID)
    .setSubject('user-test-coverage')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey)

  const originalRequest = shared.request
  const originalFetch = globalThis.fetch
  const originalGets = [https.get, http.get] as const
  const fakeGet = ((url: string | URL) => {
    log.push({ method: 'GET', url: String(url) })
    const req = new EventEmitter() as EventEmitter & { destroy(): void }
    req.destroy = () => {}
    setImmediate(() => {
      const res = Object.assign(Readable.from([Buffer.from(jwksBody)]), { statusCode: 200 })
      req.emit('response', res)
    })
    return req
  }) as unknown as typeof https.get
  shared.request = async (_fetchConfig: unknown, config: Recorded & { baseURLType?: string }) => {
    const entry: Recorded = { method: config.method, url: config.url }
    if (config.baseURLType === 'FRAUD') entry.host = 'fraud'
    log.push(entry)
    return {}
  }
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input)
    log.push({ method: init?.method ?? 'GET', url })
    return new Response(url.includes('/jwks/') ? jwksBody : '{}', {
      headers: { 'content-type': 'application/json' },
    })
  }) as typeof fetch
  https.get = fakeGet
  http.get = fakeGet

  const newClient = (name: string) =>
    new stytch[name]!({
      project_id: PROJECT_ID,
      secret: 'secret-coverage',
      custom_base_url: 'https://stytch-api.invalid/',
    })
  const resolve = (client: object, methodPath: string[]) => {
    let parent: unknown = undefined
    let value: unknown = client
    for (const seg of methodPath) {
      parent = value
      value = value == null ? undefined : (value as Record<string, unknown>)[seg]
    }
    return { parent, fn: typeof value === 'function' ? (value as Function) : undefined }
  }
  const call = async (client: object, methodPath: string[], args: unknown[]) => {
    const { parent, fn } = resolve(client, methodPath)
    if (!fn) return undefined
    log.length = 0
    try {
      let timer: NodeJS.Timeout | undefined
      const result: unknown = await Promise.race([
        Promise.resolve(fn.apply(parent, args)).finally(() => clearTimeout(timer)),
        // Only a call that never settles meets this: long enough for a loaded CI machine.
        new Promise((r) => (timer = setTimeout(r, 20_000))),
      ])
      // An iterator (users.searchAll): take one step.
      const next = (result as { next?: unknown } | undefined)?.next
      if (typeof next === 'function') await next.call(result)
    } catch {
      // Placeholders fail validation or response parsing after the request: expected.
    }
    await new Promise((r) => setImmediate(r))
    return [...log]
  }

  const methods: SdkMethod[] = []
  const wrappers: WrapperMethod[] = []
  const wrapperCalls: { client: string; path: string[]; recorded: Recorded[] }[] = []
  const reachedSites = new Set<StaticSite>()
  try {
    for (const clientName of BACKEND_ROOTS.map((r) => r.name)) {
      const client = newClient(clientName)
      for (const t of typed.get(clientName) ?? []) {
        const { fn } = resolve(client, t.path)
        const name = `${clientName}.${t.path.join('.')}`
        if (!fn) {
          problems.push(`${name}: in the type declarations but not on the client`)
          continue
        }
        const own = siteByFn.get(fn) ?? []
        if (own.length === 1) {
          const site = own[0]!
          let recorded: Recorded[] = []
          for (const arg of PLACEHOLDERS) {
            recorded = (await call(client, t.path, [arg])) ?? []
            if (recorded.length) break
          }
          const first = recorded[0]
          if (recorded.length !== 1 || !first) {
            problems.push(`${name}: expected one request, saw ${recorded.length}`)
            continue
          }
          const template = templateOfRecorded(first.url)
          if (first.method !== site.method || shape(template) !== shape(site.path))
            problems.push(
              `${name}: called ${first.method} ${template}, source says ${site.method} ${site.path}`,
            )
          else reachedSites.add(site)
          const endpoint: Endpoint = { method: first.method, path: template }
          if (first.host) endpoint.host = first.host
          methods.push({
            client: clientName,
            path: t.path,
            group: groupOf(t.path),
            endpoints: [endpoint],
          })
        } else if (own.length > 1) {
          problems.push(`${name}: ${own.length} request sites in one method`)
        } else {
          // A wrapper or local verification: try argument shapes that reach each branch, each on
          // a fresh client (the JWKS and RBAC policy caches would hide later fetches).
          const authz = {
            organization_id: ORGANIZATION_ID,
            resource_id: 'coverage',
            action: 'read',
          }
          const shapes: unknown[][] = [
            [PLACEHOLDER],
            [
              {
                session_jwt: jwt,
                access_token: jwt,
                authorization_check: authz,
                required_scopes: ['read:users'],
              },
            ],
            [jwt, { authorization_check: authz }],
            [{ session_jwt: 'not-a-jwt', access_token: 'not-a-jwt' }],
          ]
          const recorded: Recorded[] = []
          for (const args of shapes)
            recorded.push(...((await call(newClient(clientName), t.path, args)) ?? []))
          wrapperCalls.push({ client: clientName, path: t.path, recorded })
        }
      }
    }
  } finally {
    shared.request = originalRequest
    globalThis.fetch = originalFetch
    https.get = originalGets[0]
    http.get = originalGets[1]
  }

  for (const site of sites)
    if (!reachedSites.has(site))
      problems.push(
        `static request site ${site.method} ${site.path} (${site.className}.${site.methodName}) reached by no public method`,
      )

  // Wrapper endpoints, as templates of the endpoints the client's own methods call.
  const endpoints = methods.flatMap((m) => m.endpoints)
  for (const w of wrapperCalls) {
    const own = methods.filter((m) => m.client === w.client).flatMap((m) => m.endpoints)
    const seen = new Map<string, Endpoint>()
    for (const r of w.recorded) {
      const concrete = templateOfRecorded(r.url)
      const match =
        own.find((e) => e.method === r.method && e.path === concrete) ??
        own.find((e) => e.method === r.method && templateMatches(e.path, concrete))
      const endpoint = match ?? { method: r.method, path: concrete }
      seen.set(endpointKey(endpoint), endpoint)
    }
    const reached = [...seen.values()].sort(byPathThenMethod)
    wrappers.push({
      client: w.client,
      path: w.path,
      endpoints: reached,
      note: wrapperNote(w.path, reached),
    })
  }

  const distinctSites = new Set(sites.map((s) => `${s.method} ${shape(s.path)}`)).size
  const checks = [
    `\`stytch\`: a static parse finds ${sites.length} request() call sites in dist/b2c and dist/b2b (${distinctSites} distinct method + URL pairs); calling every public method of \`Client\` and \`B2BClient\` with a placeholder argument reached ${reachedSites.size} of them, each method making the one request its source names.`,
  ]
  return {
    surface: {
      version,
      clients: BACKEND_ROOTS.map((r) => r.name),
      methods,
      wrappers,
      internals: [],
      problems,
      checks,
      notes: [],
    },
    endpoints,
  }
}

function wrapperNote(methodPath: string[], endpoints: Endpoint[]): string {
  const paths = endpoints.map((e) => e.path)
  const jwks = paths.some((p) => p.includes('/jwks/'))
  const remote = endpoints.some((e) => e.method === 'POST' && !e.path.includes('/jwks/'))
  const policy = paths.some((p) => p.includes('/rbac/'))
  if (methodPath.at(-1) === 'searchAll') return 'iterator over repeated search calls'
  const parts: string[] = []
  if (jwks) parts.push('verifies locally with the JWKS')
  if (policy) parts.push('fetches the RBAC policy for an authorization or scope check')
  if (jwks && remote) parts.push('falls back to the API when local verification fails')
  return parts.join('; ')
}

/** Does a concrete path fit a {param} template (one segment per parameter)? */
function templateMatches(template: string, concrete: string): boolean {
  const re = new RegExp(
    '^' +
      template
        .split(/\{[^}]*\}/)
        .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+') +
      '$',
  )
  return re.test(concrete)
}

// ---------------------------------------------------------------------------------------------
// Frontend: @stytch/vanilla-js, statically

interface Module {
  file: string
  sf: ts.SourceFile
  imports: Map<string, { file: string; name: string }>
  exports: Map<string, { local?: string; from?: { file: string; name: string } }>
  /** `export * from` modules. */
  stars: string[]
  decls: Map<string, ts.Node>
}

interface ClassInfo {
  name: string
  node: ts.ClassLikeDeclaration
  base: ClassInfo | undefined
  /** Member name -> method declaration, or the expression a field is initialised / assigned to. */
  own: Map<string, ts.Node>
  ctor: ts.ConstructorDeclaration | undefined
}

interface Instance {
  id: number
  cls: ClassInfo
  args: (Value | undefined)[]
}

interface Ctx {
  inst: Instance
  params: Map<string, Value | undefined>
}

type Value =
  | { kind: 'instance'; inst: Instance }
  | { kind: 'object'; node: ts.ObjectLiteralExpression; ctx: Ctx }
  | { kind: 'code'; node: ts.Node; ctx: Ctx }

interface Site {
  node: ts.Node
  endpoints: Endpoint[]
}

const FETCH_FUNCTIONS = new Set(['fetchSDK', 'retriableFetchSDK', 'submitFormSDK'])
const SDK_PREFIX = '/sdk/v1'

class FrontendAnalyzer {
  private modules = new Map<string, Module>()
  private classes = new Map<ts.Node, ClassInfo>()
  private instances = new Map<string, Instance>()
  private memberMemo = new Map<string, Value | undefined>()
  private paramMemo = new Map<string, Map<string, Value | undefined>>()
  private reachMemo = new Map<string, Site[]>()
  private nextId = 0
  /** Every URL the SDK builds: fetch calls, navigations, and buildSDKUrl (telemetry). */
  readonly allSites = new Map<ts.Node, Site>()

  module(file: string): Module {
    const known = this.modules.get(file)
    if (known) return known
    const text = readFileSync(file, 'utf8')
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
    const mod: Module = {
      file,
      sf,
      imports: new Map(),
      exports: new Map(),
      stars: [],
      decls: new Map(),
    }
    const rel = (spec: string) =>
      spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : undefined
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const from = rel(st.moduleSpecifier.text)
        const clause = st.importClause
        if (!from || !clause) continue
        if (clause.name) mod.imports.set(clause.name.text, { file: from, name: 'default' })
        const bindings = clause.namedBindings
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements)
            mod.imports.set(el.name.text, {
              file: from,
              name: (el.propertyName ?? el.name).text,
            })
      } else if (ts.isExportDeclaration(st) && !st.exportClause) {
        const spec = st.moduleSpecifier
        const from = spec && ts.isStringLiteral(spec) ? rel(spec.text) : undefined
        if (from) mod.stars.push(from)
      } else if (
        ts.isExportDeclaration(st) &&
        st.exportClause &&
        ts.isNamedExports(st.exportClause)
      ) {
        const from =
          st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)
            ? rel(st.moduleSpecifier.text)
            : undefined
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text
          mod.exports.set(el.name.text, from ? { from: { file: from, name: local } } : { local })
        }
      } else if (ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) {
        if (st.name) mod.decls.set(st.name.text, st)
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.initializer) mod.decls.set(d.name.text, d.initializer)
      }
    }
    this.modules.set(file, mod)
    return mod
  }

  /** The declaration an identifier of a module stands for, through imports and re-exports. */
  resolve(mod: Module, name: string, depth = 0): ts.Node | undefined {
    if (depth > 20) return undefined
    const decl = mod.decls.get(name)
    if (decl) return decl
    const imp = mod.imports.get(name)
    if (imp && existsSync(imp.file))
      return this.resolveExport(this.module(imp.file), imp.name, depth + 1)
    return undefined
  }

  resolveExport(mod: Module, name: string, depth = 0): ts.Node | undefined {
    if (depth > 20) return undefined
    const exp = mod.exports.get(name)
    if (!exp) {
      const decl = mod.decls.get(name)
      if (decl) return decl
      for (const star of mod.stars) {
        const found = existsSync(star)
          ? this.resolveExport(this.module(star), name, depth + 1)
          : undefined
        if (found) return found
      }
      return undefined
    }
    if (exp.local) return this.resolve(mod, exp.local, depth + 1)
    if (exp.from && existsSync(exp.from.file))
      return this.resolveExport(this.module(exp.from.file), exp.from.name, depth + 1)
    return undefined
  }

  classInfo(node: ts.Node | undefined): ClassInfo | undefined {
    if (!node || !(ts.isClassDeclaration(node) || ts.isClassExpression(node))) return undefined
    const known = this.classes.get(node)
    if (known) return known
    const own = new Map<string, ts.Node>()
    let ctor: ts.ConstructorDeclaration | undefined
    for (const m of node.members) {
      if (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) continue
      const name = m.name && ts.isIdentifier(m.name) ? m.name.text : undefined
      if (ts.isConstructorDeclaration(m)) ctor = m
      else if (name && (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)))
        own.set(name, m)
      else if (name && ts.isPropertyDeclaration(m) && m.initializer) own.set(name, m.initializer)
    }
    // Constructor assignments `this.x = ...` (top level of the body, comma expressions included).
    const collect = (n: ts.Node) => {
      if (ts.isFunctionLike(n)) return
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword
      )
        own.set(n.left.name.text, n.right)
      ts.forEachChild(n, collect)
    }
    if (ctor?.body) ctor.body.statements.forEach(collect)
    const info: ClassInfo = {
      name: node.name?.text ?? '(anonymous)',
      node,
      base: undefined,
      own,
      ctor,
    }
    this.classes.set(node, info)
    const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)
    const baseExpr = ext?.types[0]?.expression
    if (baseExpr && ts.isIdentifier(baseExpr))
      info.base = this.classInfo(this.resolve(this.moduleOf(node), baseExpr.text))
    return info
  }

  moduleOf(node: ts.Node): Module {
    return this.module(node.getSourceFile().fileName)
  }

  instantiate(cls: ClassInfo, args: (Value | undefined)[], key: string): Instance {
    const known = this.instances.get(key)
    if (known) return known
    const inst: Instance = { id: this.nextId++, cls, args }
    this.instances.set(key, inst)
    return inst
  }

  /** A class that sends requests itself (the NetworkClient): not followed into. */
  isOpaque(cls: ClassInfo): boolean {
    for (let c: ClassInfo | undefined = cls; c; c = c.base) if (c.own.has('fetchSDK')) return true
    return false
  }

  lookup(cls: ClassInfo, name: string): { node: ts.Node; owner: ClassInfo } | undefined {
    for (let c: ClassInfo | undefined = cls; c; c = c.base) {
      const node = c.own.get(name)
      if (node) return { node, owner: c }
    }
    return undefined
  }

  /** The constructor parameters of `owner` (inst's class or one of its bases), bound. */
  params(inst: Instance, owner: ClassInfo): Map<string, Value | undefined> {
    const key = `${inst.id}:${owner.name}:${owner.node.pos}`
    const known = this.paramMemo.get(key)
    if (known) return known
    const result = new Map<string, Value | undefined>()
    this.paramMemo.set(key, result)
    let cls: ClassInfo | undefined = inst.cls
    let args = inst.args
    while (cls) {
      const env = new Map<string, Value | undefined>()
      cls.ctor?.parameters.forEach((p, i) => {
        if (ts.isIdentifier(p.name)) env.set(p.name.text, args[i])
      })
      if (cls === owner) {
        for (const [k, v] of env) result.set(k, v)
        break
      }
      if (cls.ctor) {
        let superArgs: (Value | undefined)[] = []
        const find = (n: ts.Node) => {
          if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword)
            superArgs = n.arguments.map((a) => this.evaluate(a, { inst, params: env }))
          else if (!ts.isFunctionLike(n)) ts.forEachChild(n, find)
        }
        cls.ctor.body?.statements.forEach(find)
        args = superArgs
      }
      cls = cls.base
    }
    return result
  }

  member(inst: Instance, name: string): Value | undefined {
    if (this.isOpaque(inst.cls)) return undefined
    const key = `${inst.id}.${name}`
    if (this.memberMemo.has(key)) return this.memberMemo.get(key)
    this.memberMemo.set(key, undefined)
    const found = this.lookup(inst.cls, name)
    let value: Value | undefined
    if (found) {
      const ctx = { inst, params: this.params(inst, found.owner) }
      value =
        ts.isMethodDeclaration(found.node) || ts.isGetAccessorDeclaration(found.node)
          ? { kind: 'code', node: found.node, ctx }
          : this.evaluate(found.node as ts.Expression, ctx)
    }
    this.memberMemo.set(key, value)
    return value
  }

  property(base: Value | undefined, name: string): Value | undefined {
    if (!base) return undefined
    if (base.kind === 'instance') return this.member(base.inst, name)
    if (base.kind === 'object') {
      for (const p of base.node.properties) {
        if (propName(p) !== name) continue
        if (ts.isPropertyAssignment(p)) return this.evaluate(p.initializer, base.ctx)
        if (ts.isShorthandPropertyAssignment(p)) return this.evaluate(p.name, base.ctx)
        if (ts.isMethodDeclaration(p)) return { kind: 'code', node: p, ctx: base.ctx }
      }
    }
    return undefined
  }

  evaluate(expr: ts.Expression, ctx: Ctx, depth = 0): Value | undefined {
    if (depth > 30) return undefined
    let e = expr
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression
    if (e.kind === ts.SyntaxKind.ThisKeyword) return { kind: 'instance', inst: ctx.inst }
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression)) {
      const cls = this.classInfo(this.resolve(this.moduleOf(e), e.expression.text))
      if (!cls) return undefined
      const key = `${ctx.inst.id}@${e.getSourceFile().fileName}:${e.pos}`
      const known = this.instances.get(key)
      if (known) return { kind: 'instance', inst: known }
      const args = (e.arguments ?? []).map((a) => this.evaluate(a, ctx, depth + 1))
      return { kind: 'instance', inst: this.instantiate(cls, args, key) }
    }
    if (ts.isPropertyAccessExpression(e))
      return this.property(this.evaluate(e.expression, ctx, depth + 1), e.name.text)
    if (ts.isIdentifier(e)) {
      if (ctx.params.has(e.text)) return ctx.params.get(e.text)
      const init = localInitializer(e)
      return init ? this.evaluate(init, ctx, depth + 1) : undefined
    }
    if (ts.isObjectLiteralExpression(e)) return { kind: 'object', node: e, ctx }
    return { kind: 'code', node: e, ctx }
  }

  /** Every request a piece of code can make, following this.x.y references (also to fields). */
  reach(value: Value | undefined, stack = new Set<string>()): Site[] {
    if (!value || value.kind === 'instance') return []
    const key = `${value.ctx.inst.id}@${value.node.getSourceFile().fileName}:${value.node.pos}`
    const known = this.reachMemo.get(key)
    if (known) return known
    if (stack.has(key)) return []
    stack.add(key)
    const sites: Site[] = []
    const visit = (n: ts.Node) => {
      if (n !== value.node && (ts.isClassDeclaration(n) || ts.isClassExpression(n))) return
      const site = this.site(n)
      if (site) {
        sites.push(site)
        return
      }
      if (ts.isPropertyAccessExpression(n) && isThisChain(n)) {
        const target = this.evaluate(n, value.ctx)
        if (target?.kind === 'code') sites.push(...this.reach(target, stack))
        else if (target?.kind === 'object') sites.push(...this.reach(target, stack))
        return
      }
      ts.forEachChild(n, visit)
    }
    visit(value.node)
    stack.delete(key)
    const unique = [...new Set(sites)]
    this.reachMemo.set(key, unique)
    return unique
  }

  /** A request site: fetchSDK-like call, `new URL(.../v1/...)` navigation, buildSDKUrl(...). */
  site(n: ts.Node): Site | undefined {
    const known = this.allSites.get(n)
    if (known) return known
    let endpoints: Endpoint[] | undefined
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      FETCH_FUNCTIONS.has(n.expression.name.text)
    ) {
      const arg = n.arguments[0]
      if (arg && ts.isObjectLiteralExpression(arg)) {
        const url = arg.properties.find((p) => propName(p) === 'url')
        const method = arg.properties.find((p) => propName(p) === 'method')
        const urlExpr =
          url && ts.isPropertyAssignment(url)
            ? url.initializer
            : url && ts.isShorthandPropertyAssignment(url)
              ? url.name
              : undefined
        const methodText =
          method && ts.isPropertyAssignment(method) && ts.isStringLiteralLike(method.initializer)
            ? method.initializer.text
            : 'GET'
        if (urlExpr)
          endpoints = urlVariants(urlExpr).map((v) => ({
            method: methodText,
            path: sdkPath(v.text),
            ...(v.when ? { when: v.when } : {}),
          }))
      }
    } else if (
      ts.isNewExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === 'URL' &&
      n.arguments?.[0]
    ) {
      const text = urlVariants(n.arguments[0])[0]?.text ?? ''
      const at = text.indexOf('/v1/')
      if (at >= 0)
        endpoints = [{ method: 'GET', path: text.slice(at).split('?')[0]!, navigation: true }]
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'buildSDKUrl' &&
      n.arguments[0] &&
      ts.isStringLiteralLike(n.arguments[0])
    ) {
      // The telemetry EventLogger posts its batches to this URL.
      endpoints = [{ method: 'POST', path: sdkPath(n.arguments[0].text) }]
    }
    if (!endpoints) return undefined
    const site = { node: n, endpoints }
    this.allSites.set(n, site)
    return site
  }

  /** Registers every request site of a file (to find the ones no public method reaches). */
  scan(file: string) {
    const visit = (n: ts.Node) => {
      this.site(n)
      ts.forEachChild(n, visit)
    }
    visit(this.module(file).sf)
  }
}

function isThisChain(e: ts.Expression): boolean {
  let x = e
  while (ts.isPropertyAccessExpression(x)) x = x.expression
  return x.kind === ts.SyntaxKind.ThisKeyword
}

/** The initializer of the local `const name = ...` an identifier refers to, if any. */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!(ts.isFunctionLike(scope) || ts.isSourceFile(scope))) continue
    if (ts.isSourceFile(scope)) return undefined
    let found: ts.Expression | undefined
    const visit = (n: ts.Node) => {
      if (found) return
      if (n !== scope && ts.isFunctionLike(n)) return
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text)
        found = n.initializer
      ts.forEachChild(n, visit)
    }
    visit(scope)
    if (found) return found
  }
  return undefined
}

/** The URLs a URL expression can be: literals, templates, `+`, `cond ? a : b`, a local const. */
function urlVariants(expr: ts.Expression, depth = 0): { text: string; when?: string }[] {
  let e = expr
  while (ts.isParenthesizedExpression(e)) e = e.expression
  if (depth > 10) return [{ text: `{${paramName(e)}}` }]
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return [{ text: templateText(e) }]
  if (ts.isConditionalExpression(e)) {
    const cond = e.condition.getText()
    return [
      ...urlVariants(e.whenTrue, depth + 1).map((v) => ({ text: v.text, when: v.when ?? cond })),
      ...urlVariants(e.whenFalse, depth + 1).map((v) => ({
        text: v.text,
        when: v.when ?? `not ${cond}`,
      })),
    ]
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const out: { text: string; when?: string }[] = []
    for (const l of urlVariants(e.left, depth + 1))
      for (const r of urlVariants(e.right, depth + 1)) {
        const when = l.when ?? r.when
        out.push(when ? { text: l.text + r.text, when } : { text: l.text + r.text })
      }
    return out
  }
  if (ts.isIdentifier(e)) {
    const init = localInitializer(e)
    if (init) return urlVariants(init, depth + 1)
  }
  return [{ text: `{${paramName(e)}}` }]
}

/**
 * The path the frontend SDK requests for a fetchSDK url: NetworkClient.buildSDKUrl prepends
 * /sdk/v1. A url without its leading slash (an SDK bug) is shown as the API path it meant; the
 * doc notes what the SDK really requests.
 */
function sdkPath(url: string): string {
  const p = url.split('?')[0]!
  return SDK_PREFIX + (p.startsWith('/') ? p : `/${p}`)
}

function frontendSurface(typed: Map<string, TypedMethod[]>, backendEndpoints: Endpoint[]): Surface {
  const dir = packageDir(VANILLA_JS)
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const version: string = pkg.version
  const problems: string[] = []
  const notes: string[] = []
  const entry = (sub: string): string => {
    const dev = pkg.exports?.[sub]?.import?.development
    if (typeof dev !== 'string')
      throw new Error(
        `coverage: @stytch/vanilla-js has no development (unminified) build of ${sub}`,
      )
    return path.join(dir, dev)
  }
  const roots = FRONTEND_ROOTS.map((r) => ({ name: r.name, entry: entry(r.entry) }))
  const analyzer = new FrontendAnalyzer()

  // Every request site in the unminified build, to report those no public method reaches.
  const devRoot = path.dirname(roots[0]!.entry)
  const walkFiles = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((f) =>
        f.isDirectory()
          ? f.name === 'node_modules'
            ? []
            : walkFiles(path.join(d, f.name))
          : f.name.endsWith('.mjs')
            ? [path.join(d, f.name)]
            : [],
      )
  const devFiles = walkFiles(devRoot)
  const sources = new Map(devFiles.map((f) => [f, readFileSync(f, 'utf8')]))
  for (const [file, text] of sources)
    if (/\b(fetchSDK|retriableFetchSDK|submitFormSDK|buildSDKUrl)\(|new URL\(/.test(text))
      analyzer.scan(file)

  const methods: SdkMethod[] = []
  const reached = new Set<Site>()
  for (const root of roots) {
    const rootNode = analyzer.resolveExport(analyzer.module(root.entry), root.name)
    const cls = analyzer.classInfo(rootNode)
    if (!cls) throw new Error(`coverage: no class ${root.name} in ${root.entry}`)
    const inst = analyzer.instantiate(cls, [], `root:${root.name}`)
    const byImpl = new Map<string, SdkMethod>()
    const list = typed.get(root.name) ?? []
    // Non-deprecated names first, so that a deprecated alias points at the current name.
    const ordered = [...list].sort((a, b) => Number(a.deprecated) - Number(b.deprecated))
    const found: SdkMethod[] = []
    for (const t of ordered) {
      let value: Value | undefined = { kind: 'instance', inst }
      for (const seg of t.path) value = analyzer.property(value, seg)
      const sites = analyzer.reach(value)
      if (sites.length === 0) continue
      sites.forEach((s) => reached.add(s))
      const endpoints = dedupeEndpoints(sites.flatMap((s) => s.endpoints))
      const method: SdkMethod = {
        client: root.name,
        path: t.path,
        group: groupOf(t.path),
        endpoints,
      }
      const implKey =
        value && value.kind !== 'instance'
          ? `${value.node.getSourceFile().fileName}:${value.node.pos}`
          : undefined
      const canonical = implKey ? byImpl.get(implKey) : undefined
      if (canonical) method.aliasOf = `${canonical.client}.${canonical.path.join('.')}`
      else if (implKey) byImpl.set(implKey, method)
      found.push(method)
    }
    // Back in the declarations' order.
    const rank = new Map(list.map((t, i) => [t.path.join('.'), i]))
    found.sort((a, b) => rank.get(a.path.join('.'))! - rank.get(b.path.join('.'))!)
    methods.push(...found)
  }

  // Parameter names: where the backend API has the same route shape, its names.
  const backendByShape = new Map(backendEndpoints.map((e) => [`${e.method} ${shape(e.path)}`, e]))
  const rename = (e: Endpoint): Endpoint => {
    if (!e.path.startsWith(SDK_PREFIX + '/')) return e
    const api = '/v1' + e.path.slice(SDK_PREFIX.length)
    const twin = backendByShape.get(`${e.method} ${shape(api)}`)
    return twin ? { ...e, path: SDK_PREFIX + twin.path.slice('/v1'.length) } : e
  }
  for (const m of methods) m.endpoints = m.endpoints.map(rename)

  // Internal callers: the request sites no public method reaches.
  const internals: InternalCall[] = []
  for (const site of analyzer.allSites.values()) {
    if (reached.has(site)) continue
    if (site.endpoints.every((e) => e.navigation)) {
      problems.push(`navigation ${site.endpoints[0]?.path} reached by no public method`)
      continue
    }
    const caller = callerName(site.node)
    for (const endpoint of site.endpoints.map(rename))
      for (const client of internalClients(endpoint, caller, sources))
        internals.push({ client, caller, endpoint })
  }
  internals.sort(
    (a, b) =>
      a.client.localeCompare(b.client) ||
      byPathThenMethod(a.endpoint, b.endpoint) ||
      a.caller.localeCompare(b.caller),
  )

  // The SDK bug of a url without its leading slash: what is really requested.
  for (const site of analyzer.allSites.values()) {
    const call = site.node
    if (!ts.isCallExpression(call)) continue
    const arg = call.arguments[0]
    const url =
      arg && ts.isObjectLiteralExpression(arg)
        ? arg.properties.find((p) => propName(p) === 'url')
        : undefined
    if (url && ts.isPropertyAssignment(url)) {
      for (const v of urlVariants(url.initializer))
        if (!v.text.startsWith('/'))
          notes.push(
            `The SDK builds \`${v.text}\` without a leading slash, so the browser requests \`${SDK_PREFIX}${v.text}\`; listed here as \`${sdkPath(v.text)}\` (\`${callerName(call)}\`). No server can serve it under \`${SDK_PREFIX}/\`.`,
          )
    }
  }

  const fetchSites = [...analyzer.allSites.values()]
  const checks = [
    `\`@stytch/vanilla-js\`: the unminified build (dist/esm-dev) has ${fetchSites.length} request sites (fetchSDK / retriableFetchSDK calls, \`new URL(.../v1/...)\` navigations, the telemetry URL); ${fetchSites.filter((s) => reached.has(s)).length} are reached from the public methods of \`StytchClient\` and \`StytchB2BClient\` (by following \`this.x.y\` references, constructor arguments included), the rest are the SDK internals listed at the end.`,
  ]
  return {
    version,
    clients: roots.map((r) => r.name),
    methods,
    wrappers: [],
    internals: dedupeInternals(internals),
    problems,
    checks,
    notes: [...new Set(notes)].sort(),
  }
}

function dedupeEndpoints(list: Endpoint[]): Endpoint[] {
  const seen = new Map<string, Endpoint>()
  for (const e of list) {
    const key = `${endpointKey(e)} ${e.when ?? ''}`
    if (!seen.has(key)) seen.set(key, e)
  }
  return [...seen.values()]
}

function dedupeInternals(list: InternalCall[]): InternalCall[] {
  const seen = new Map<string, InternalCall>()
  for (const i of list) seen.set(`${i.client} ${endpointKey(i.endpoint)} ${i.caller}`, i)
  return [...seen.values()]
}

/** `Class.member`, or the name of the function a request site is in. */
function callerName(node: ts.Node): string {
  let member: string | undefined
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (
      !member &&
      (ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isConstructorDeclaration(n))
    )
      member = ts.isConstructorDeclaration(n) ? 'constructor' : n.name.getText()
    if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.name)
      return member ? `${n.name.text}.${member}` : n.name.text
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && !member) member = n.name.text
  }
  return member ?? path.basename(node.getSourceFile().fileName)
}

/**
 * Which frontend client an internal request belongs to: a /b2b/ URL to the B2B client; otherwise
 * the clients whose UI code calls the method it is in (ui/b2c, ui/b2b); a constructor's (bootstrap,
 * telemetry) to both.
 */
function internalClients(endpoint: Endpoint, caller: string, sources: Map<string, string>) {
  if (endpoint.path.startsWith(`${SDK_PREFIX}/b2b/`)) return ['StytchB2BClient']
  const member = caller.split('.')[1]
  if (!member || member === 'constructor') return ['StytchClient', 'StytchB2BClient']
  const clients = new Set<string>()
  for (const [file, text] of sources) {
    if (!text.includes(`.${member}(`)) continue
    if (file.includes(`${path.sep}b2b${path.sep}`)) clients.add('StytchB2BClient')
    else if (file.includes(`${path.sep}b2c${path.sep}`)) clients.add('StytchClient')
  }
  const both = ['StytchClient', 'StytchB2BClient']
  return clients.size ? both.filter((c) => clients.has(c)) : both
}

// ---------------------------------------------------------------------------------------------
// The mock's routes

interface Route {
  method: string
  path: string
  re: RegExp
}

async function mockRoutes(): Promise<Route[]> {
  const config = loadConfig({ LOG_LEVEL: 'silent', HTTPS_PORT: 'off', STYTCH_MOCK_DB: ':memory:' })
  const world = await createWorld(config)
  try {
    const app = createApp(world)
    // Middleware and ALL routes are not served routes; nor is a catch-all that answers 501
    // not_emulated from the catalog, should one be registered under a name saying so.
    return inspectRoutes(app)
      .filter((r) => !r.isMiddleware && r.method !== 'ALL' && !/not.?emulated/i.test(r.name))
      .map((r) => ({ method: r.method, path: r.path, re: routeRegex(r.path) }))
  } finally {
    world.close()
  }
}

/** A Hono route path as a regex: `:name` one segment, `:name{re}` its pattern, `*` anything. */
function routeRegex(route: string): RegExp {
  const parts = route.split('/').map((seg) => {
    const param = /^:([A-Za-z0-9_]+)(\{(.+)\})?(\?)?$/.exec(seg)
    if (param) return param[4] ? `(?:${param[3] ?? '[^/]+'})?` : `(?:${param[3] ?? '[^/]+'})`
    if (seg === '*') return '.*'
    return seg.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')
  })
  return new RegExp(`^${parts.join('/')}/?$`)
}

function isServed(routes: Route[], e: { method: string; path: string }): boolean {
  const concrete = e.path.replace(/\{[^}]*\}/g, 'placeholder')
  return routes.some((r) => r.method === e.method && r.re.test(concrete))
}

// ---------------------------------------------------------------------------------------------
// Catalog and document

function buildCatalog(backend: Surface, frontend: Surface): CatalogEntry[] {
  const entries = new Map<string, CatalogEntry>()
  const add = (
    e: Endpoint,
    side: Side,
    sdkName: string,
    group: string,
    extra: Partial<CatalogEntry>,
  ) => {
    const key = endpointKey(e)
    let entry = entries.get(key)
    if (!entry) {
      entry = { method: e.method, path: e.path, side, sdk: [], group }
      if (e.host) entry.host = e.host
      if (e.navigation) entry.navigation = true
      Object.assign(entry, extra)
      entries.set(key, entry)
    } else if (entry.internal && !extra.internal) {
      delete entry.internal
      entry.group = group
    }
    if (!entry.sdk.includes(sdkName)) entry.sdk.push(sdkName)
  }
  for (const m of backend.methods)
    for (const e of m.endpoints) add(e, 'backend', `${m.client}.${m.path.join('.')}`, m.group, {})
  for (const m of frontend.methods)
    for (const e of m.endpoints) add(e, 'frontend', `${m.client}.${m.path.join('.')}`, m.group, {})
  for (const i of frontend.internals)
    add(i.endpoint, 'frontend', `${i.client} (internal) ${i.caller}`, internalGroup(i.endpoint), {
      internal: true,
    })
  const list = [...entries.values()]
  for (const entry of list) entry.sdk.sort()
  return list.sort(byPathThenMethod as (a: CatalogEntry, b: CatalogEntry) => number)
}

function internalGroup(e: Endpoint): string {
  const segs = e.path.slice(SDK_PREFIX.length + 1).split('/')
  const first = segs[0] === 'b2b' ? segs[1] : segs[0]
  return groupOf([first ?? 'internal', segs[segs[0] === 'b2b' ? 2 : 1] ?? ''])
}

function render(
  backend: Surface,
  frontend: Surface,
  routes: Route[],
  versions: { stytch: string; vanillaJs: string },
): { doc: string; totals: Totals } {
  const served = (e: Endpoint) => isServed(routes, e)
  const yes = (b: boolean) => (b ? 'yes' : 'no')
  const allServed = (m: SdkMethod) => m.endpoints.every(served)
  /** The methods in the totals: no alias, not navigation only. */
  const counted = (s: Surface, client: string): SdkMethod[] =>
    s.methods.filter(
      (m) => m.client === client && !m.aliasOf && m.endpoints.some((e) => !e.navigation),
    )
  const distinct = (list: Endpoint[]) => {
    const map = new Map<string, Endpoint>()
    for (const e of list) map.set(endpointKey(e), e)
    return [...map.values()]
  }
  const stat = (methods: SdkMethod[]) => {
    const endpoints = distinct(methods.flatMap((m) => m.endpoints))
    return {
      methods: methods.length,
      served: methods.filter(allServed).length,
      endpoints: endpoints.length,
      servedEndpoints: endpoints.filter(served).length,
    }
  }
  const of = (a: number, b: number) => `${a} of ${b}`

  const clientStats: Totals['byClient'] = {}
  for (const [s, client] of [
    [backend, 'Client'],
    [backend, 'B2BClient'],
    [frontend, 'StytchClient'],
    [frontend, 'StytchB2BClient'],
  ] as const)
    clientStats[client] = stat(counted(s, client))
  const backendAll = stat([...counted(backend, 'Client'), ...counted(backend, 'B2BClient')])
  const frontendAll = stat([
    ...counted(frontend, 'StytchClient'),
    ...counted(frontend, 'StytchB2BClient'),
  ])
  const totals: Totals = { backend: backendAll, frontend: frontendAll, byClient: clientStats }

  const out: string[] = []
  const line = (s = '') => out.push(s)
  line('# Stytch SDK coverage')
  line()
  line(
    `Generated by \`${COMMAND}\` from the installed \`stytch\` ${versions.stytch} and \`@stytch/vanilla-js\` ${versions.vanillaJs} and the mock's routes; do not edit by hand. The same run writes \`${CATALOG_PATH}\`, the catalog the server reads.`,
  )
  line()
  line(
    `**Backend: ${of(backendAll.served, backendAll.methods)} methods; frontend: ${of(frontendAll.served, frontendAll.methods)} methods.**`,
  )
  line()
  line(
    '"Served" means the mock registers a route with that HTTP method that matches the path (a `{parameter}` is one path segment); it says nothing about how complete the behaviour behind it is. A backend method makes one request. A frontend method is served only when every endpoint it can call is (`otps.email.send` calls `.../send/primary` without a session and `.../send/secondary` with one). Aliases (B2B `member.*`, deprecated for `self.*`) are listed but counted once; OAuth and SSO start methods are browser navigations, listed apart and not counted; wrapper and local-verification methods (`authenticateJwtLocal`, `m2m.authenticateToken`, ...) are listed with the endpoints they reach, not counted. The "when" column gives the condition in the SDK source that picks between two endpoints (`isLoggedIn`: the browser holds a session).',
  )
  line()
  line('## Totals')
  line()
  line('| surface | methods served | distinct endpoints served |')
  line('|---|---|---|')
  const tot = (label: string, s: ReturnType<typeof stat>) =>
    line(`| ${label} | ${of(s.served, s.methods)} | ${of(s.servedEndpoints, s.endpoints)} |`)
  const noFraud = (client: string) =>
    stat(counted(backend, client).filter((m) => !m.endpoints.some((e) => e.host)))
  tot('backend consumer (`Client`)', clientStats.Client!)
  tot('backend B2B (`B2BClient`)', clientStats.B2BClient!)
  tot('backend, both clients', backendAll)
  tot('backend consumer, without the fraud methods (fraud host)', noFraud('Client'))
  tot('backend B2B, without the fraud methods (fraud host)', noFraud('B2BClient'))
  tot('frontend consumer (`StytchClient`)', clientStats.StytchClient!)
  tot('frontend B2B (`StytchB2BClient`)', clientStats.StytchB2BClient!)
  tot('frontend, both clients', frontendAll)
  for (const client of frontend.clients) {
    const own = counted(frontend, client).flatMap((m) => m.endpoints)
    const internal = frontend.internals.filter((i) => i.client === client).map((i) => i.endpoint)
    const all = distinct([...own, ...internal])
    line(
      `| frontend ${client === 'StytchClient' ? 'consumer' : 'B2B'}: all \`/sdk/v1\` endpoints, SDK internals included | | ${of(all.filter(served).length, all.length)} |`,
    )
  }
  const navs = distinct(frontend.methods.flatMap((m) => m.endpoints.filter((e) => e.navigation)))
  line(
    `| frontend browser navigations (OAuth / SSO start) | | ${of(navs.filter(served).length, navs.length)} |`,
  )
  line()

  // By product group, across the four surfaces.
  const surfaces: [Surface, string][] = [
    [backend, 'Client'],
    [backend, 'B2BClient'],
    [frontend, 'StytchClient'],
    [frontend, 'StytchB2BClient'],
  ]
  const groups = [
    ...new Set(surfaces.flatMap(([s, c]) => counted(s, c).map((m) => m.group))),
  ].sort()
  line('## By product group')
  line()
  line('Methods served / total.')
  line()
  line(
    '| group | backend `Client` | backend `B2BClient` | frontend `StytchClient` | frontend `StytchB2BClient` |',
  )
  line('|---|---|---|---|---|')
  for (const g of groups) {
    const cells = surfaces.map(([s, c]) => {
      const ms = counted(s, c).filter((m) => m.group === g)
      return ms.length ? `${ms.filter(allServed).length} / ${ms.length}` : '-'
    })
    line(`| ${g} | ${cells.join(' | ')} |`)
  }
  line()

  line('## Notes')
  line()
  line(
    "- Google One Tap (B2B `oauth.googleOneTap.start` / `.discovery.start`) is not emulated: its UI is Google's script and its credential comes from Google's callback, which the mock cannot stand in for. Consumer `oauth.googleOneTap.start` goes through Stytch's clientside-services iframe and makes no `/sdk/v1` call of its own, so it is not counted.",
  )
  line(
    '- The fraud methods go to the fraud host (`fraud_env`, telemetry.stytch.com by default), not the API base URL; the catalog marks them `"host": "fraud"`.',
  )
  for (const note of frontend.notes) line(`- ${note}`)
  for (const check of [...backend.checks, ...frontend.checks]) line(`- ${check}`)
  for (const p of [...backend.problems, ...frontend.problems])
    line(`- Enumeration check failed: ${p}`)
  line()

  const pathCell = (e: Endpoint) => `\`${e.path}\`${e.host ? ' (fraud host)' : ''}`
  const sectionBackend = (client: string) => {
    const ms = backend.methods.filter((m) => m.client === client)
    line(`## Backend \`${client}\` (\`stytch\` ${versions.stytch})`)
    line()
    for (const g of [...new Set(ms.map((m) => m.group))].sort()) {
      const list = ms.filter((m) => m.group === g)
      line(`### ${g} (${of(list.filter(allServed).length, list.length)} methods served)`)
      line()
      line('| SDK method | HTTP | path | served |')
      line('|---|---|---|---|')
      for (const m of list)
        for (const e of m.endpoints)
          line(`| \`${m.path.join('.')}\` | ${e.method} | ${pathCell(e)} | ${yes(served(e))} |`)
      line()
    }
  }
  sectionBackend('Client')
  sectionBackend('B2BClient')

  line('## Backend wrapper and local-verification methods (not in the totals)')
  line()
  line('| SDK method | endpoints it can reach | what it does |')
  line('|---|---|---|')
  for (const w of backend.wrappers) {
    const reach = w.endpoints.length
      ? w.endpoints
          .map((e) => `${e.method} \`${e.path}\` (${served(e) ? 'served' : 'NOT served'})`)
          .join('<br>')
      : 'none observed'
    line(`| \`${w.client}.${w.path.join('.')}\` | ${reach} | ${w.note} |`)
  }
  line()

  const sectionFrontend = (client: string) => {
    const ms = frontend.methods.filter(
      (m) => m.client === client && !m.aliasOf && m.endpoints.some((e) => !e.navigation),
    )
    line(`## Frontend \`${client}\` (\`@stytch/vanilla-js\` ${versions.vanillaJs})`)
    line()
    for (const g of [...new Set(ms.map((m) => m.group))].sort()) {
      const list = ms.filter((m) => m.group === g)
      line(`### ${g} (${of(list.filter(allServed).length, list.length)} methods served)`)
      line()
      line('| SDK method | HTTP | path | when | served |')
      line('|---|---|---|---|---|')
      for (const m of list)
        for (const e of m.endpoints)
          line(
            `| \`${m.path.join('.')}\` | ${e.method} | \`${e.path}\` | ${e.when ?? ''} | ${yes(served(e))} |`,
          )
      line()
    }
  }
  sectionFrontend('StytchClient')
  sectionFrontend('StytchB2BClient')

  const aliases = frontend.methods.filter((m) => m.aliasOf)
  if (aliases.length) {
    line('## Frontend aliases (not in the totals)')
    line()
    line('| SDK method | same implementation as | served |')
    line('|---|---|---|')
    for (const m of aliases)
      line(`| \`${m.client}.${m.path.join('.')}\` | \`${m.aliasOf}\` | ${yes(allServed(m))} |`)
    line()
  }

  line('## Frontend browser navigations (not in the totals)')
  line()
  line('| URL | SDK methods | served |')
  line('|---|---|---|')
  for (const nav of navs.sort(byPathThenMethod)) {
    const callers = frontend.methods.filter((m) =>
      m.endpoints.some((e) => e.navigation && endpointKey(e) === endpointKey(nav)),
    )
    const names = callers.map((m) => `${m.client}.${m.path.join('.')}`)
    line(`| ${nav.method} \`${nav.path}\` | ${collapseNames(names)} | ${yes(served(nav))} |`)
  }
  line()

  line('## Frontend SDK internals (not in the totals)')
  line()
  line(
    'Requests the SDK makes on its own (bootstrap, telemetry) or from its pre-built UI, reached by no public method.',
  )
  line()
  line('| client | caller | HTTP | path | served |')
  line('|---|---|---|---|---|')
  for (const i of frontend.internals)
    line(
      `| ${i.client} | \`${i.caller}\` | ${i.endpoint.method} | \`${i.endpoint.path}\` | ${yes(served(i.endpoint))} |`,
    )
  line()
  return { doc: out.join('\n'), totals }
}

/** `StytchClient.oauth.google.start`, `...apple.start` -> `StytchClient.oauth.{google, apple}.start` */
function collapseNames(names: string[]): string {
  const groups = new Map<string, string[]>()
  for (const n of names) {
    const parts = n.split('.')
    const key = parts.length >= 4 ? `${parts[0]}.${parts[1]}.*.${parts.slice(3).join('.')}` : n
    groups.set(key, [...(groups.get(key) ?? []), parts.length >= 4 ? parts[2]! : ''])
  }
  return [...groups.entries()]
    .map(([key, vs]) =>
      key.includes('*')
        ? `\`${key.replace('*', vs.length > 1 ? `{${vs.join(', ')}}` : vs[0]!)}\``
        : `\`${key}\``,
    )
    .join('<br>')
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Builds both files from the installed SDKs and the mock's routes, without writing anything. */
export async function generate(): Promise<Generated> {
  // One type-checker program for the four clients' declarations (it is the slowest step).
  const stytchDir = packageDir(STYTCH)
  const vanillaDir = packageDir(VANILLA_JS)
  const typed = typedApi([
    ...BACKEND_ROOTS.map((r) => ({ file: path.join(stytchDir, r.types), exportName: r.name })),
    ...FRONTEND_ROOTS.map((r) => ({ file: path.join(vanillaDir, r.types), exportName: r.name })),
  ])
  const { surface: backend, endpoints } = await backendSurface(typed)
  const frontend = frontendSurface(typed, endpoints)
  const routes = await mockRoutes()
  const versions = { stytch: backend.version, vanillaJs: frontend.version }
  const catalog = buildCatalog(backend, frontend)
  const { doc, totals } = render(backend, frontend, routes, versions)
  return {
    files: [
      { path: CATALOG_PATH, text: JSON.stringify(catalog, null, 2) + '\n' },
      { path: DOC_PATH, text: doc },
    ],
    totals,
    versions,
    problems: [...backend.problems, ...frontend.problems],
  }
}

/** The generated files that differ from the ones on disk. */
export function staleFiles(generated: Generated): string[] {
  return generated.files
    .filter((f) => {
      const file = path.join(ROOT, f.path)
      return !existsSync(file) || readFileSync(file, 'utf8') !== f.text
    })
    .map((f) => f.path)
}

async function main() {
  const check = process.argv.includes('--check')
  const started = performance.now()
  const generated = await generate()
  const { backend, frontend } = generated.totals
  const summary = `backend ${backend.served} of ${backend.methods} methods served, frontend ${frontend.served} of ${frontend.methods}`
  for (const p of generated.problems) console.error(`coverage: enumeration check: ${p}`)
  if (check) {
    const stale = staleFiles(generated)
    for (const f of stale) console.error(`${f} is stale: run ${COMMAND}`)
    if (stale.length) process.exit(1)
    console.log(`coverage: up to date (${summary})`)
    return
  }
  for (const f of generated.files) {
    const file = path.join(ROOT, f.path)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, f.text)
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `coverage: wrote ${generated.files.map((f) => f.path).join(' and ')} (${summary}; ${seconds} s)`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
