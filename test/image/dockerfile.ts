// Just enough of a Dockerfile parser to replay its steps: stages, ENV, COPY, CMD, HEALTHCHECK.
export interface Stage {
  from: string
  name: string | undefined
  instructions: { op: string; args: string }[]
}

export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const stages: Stage[] = []
  for (const line of logical) {
    const [, op = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? []
    if (op.toUpperCase() === 'FROM') {
      const [from, , name] = args.split(/\s+/)
      stages.push({ from: from!, name, instructions: [] })
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args: args.replace(/\s+/g, ' ') })
    }
  }
  return stages
}

export const all = (stage: Stage, op: string) =>
  stage.instructions.filter((i) => i.op === op).map((i) => i.args)

export function env(stage: Stage): Record<string, string> {
  return Object.fromEntries(
    all(stage, 'ENV').flatMap((args) =>
      [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
    ),
  )
}

/** The exec-form array of CMD, or of HEALTHCHECK's CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['))
  return JSON.parse(json) as string[]
}

export function copies(
  stage: Stage,
): { from: string | undefined; sources: string[]; target: string }[] {
  return all(stage, 'COPY').map((args) => {
    const parts = args.split(' ')
    const from = parts[0]?.startsWith('--from=')
      ? parts.shift()!.slice('--from='.length)
      : undefined
    const target = parts.pop()!
    return { from, sources: parts, target }
  })
}
