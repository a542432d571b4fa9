// The fenced code blocks of a Markdown text, for the tests that run what the README and docs/ say.

export interface FencedBlock {
  /** The fence's language, '' for none. */
  lang: string
  code: string
  /** The line of the opening fence, from 1. */
  line: number
}

export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i]!)
    if (!open) continue
    const end = lines.indexOf('```', i + 1)
    blocks.push({ lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), line: i + 1 })
    i = end
  }
  return blocks
}
