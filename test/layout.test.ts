// The architecture as a rule (docs/development.md, Layout): dependencies point one way,
// app -> control, inspector -> products -> platform -> clock, errors. A product uses another only
// through a named interface: a type export the registry order allows (the used product is above
// the user in products/registry.ts), never a value, never its SQL.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRODUCTS } from '../server/products/registry.js'

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : []
  })

interface Import {
  from: string
  to: string
  typeOnly: boolean
}
// Static imports and re-exports (`type` ones apart), and dynamic import('...') (values).
const imports: Import[] = files('server').flatMap((file) => {
  const text = readFileSync(file, 'utf8')
  const to = (spec: string) => relative('.', resolve(dirname(file), spec)).replace(/\.js$/, '')
  return [
    ...[...text.matchAll(/^(?:import|export) (type )?[^'"]*?from '(\.[^']+)'/gm)].map((m) => ({
      from: file,
      to: to(m[2]!),
      typeOnly: Boolean(m[1]),
    })),
    ...[...text.matchAll(/import\('(\.[^']+)'/g)].map((m) => ({
      from: file,
      to: to(m[1]!),
      typeOnly: false,
    })),
  ]
})
const under = (path: string, dir: string) => path.startsWith(`${dir}/`)
const productOf = (path: string) => /^server\/products\/([^/]+)\//.exec(path)?.[1]

describe('the layout', () => {
  it('reads imports (the scan works)', () => {
    expect(imports.length).toBeGreaterThan(200)
    expect(
      imports.some((i) => under(i.from, 'server/products') && under(i.to, 'server/platform')),
    ).toBe(true)
  })

  it('the platform imports only itself and the few modules below it', () => {
    const below = ['server/clock', 'server/errors', 'server/config', 'server/log', 'server/paths']
    const up = imports.filter(
      (i) =>
        under(i.from, 'server/platform') &&
        !under(i.to, 'server/platform') &&
        !below.includes(i.to) &&
        i.to !== 'server/startup-error',
    )
    expect(up).toEqual([])
  })

  it('products import no control or inspector room, and no app', () => {
    const up = imports.filter(
      (i) =>
        under(i.from, 'server/products') &&
        (['server/control', 'server/inspector'].some((d) => under(i.to, d)) ||
          [
            'server/app',
            'server/listen',
            'server/index',
            'server/world',
            'server/products/registry',
          ].includes(i.to)),
    )
    expect(up).toEqual([])
  })

  it('a product uses another only by type, and only one above it in the registry', () => {
    const order = PRODUCTS.map((p) => p.name)
    const folderOf = new Map(order.map((name) => [name, name]))
    const across = imports.filter((i) => {
      const a = productOf(i.from)
      const b = productOf(i.to)
      return a && b && a !== b && i.to !== 'server/products/registry'
    })
    for (const i of across) {
      expect(i.typeOnly, `${i.from} imports a value of ${i.to}`).toBe(true)
      const user = order.indexOf(folderOf.get(productOf(i.from)!)!)
      const used = order.indexOf(folderOf.get(productOf(i.to)!)!)
      expect(used, `${i.from} uses ${i.to}, listed below it`).toBeLessThan(user)
    }
    expect(across.length).toBeGreaterThan(0)
  })

  it('every product folder is in the registry, under its own name', () => {
    const folders = readdirSync('server/products').filter((n) =>
      statSync(join('server/products', n)).isDirectory(),
    )
    expect(folders.sort()).toEqual(PRODUCTS.map((p) => p.name).sort())
  })
})
