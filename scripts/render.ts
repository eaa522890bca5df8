/**
 * How the scripts (npm run demo, npm run local) show what an action printed: the runner's workflow commands
 * rendered as a person sees them in the Actions log, and the Markdown job summary as plain text.
 */
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
export const bold = (t: string) => paint('1', t)
export const dim = (t: string) => paint('2', t)
export const red = (t: string) => paint('31', t)
export const yellow = (t: string) => paint('33', t)
export const green = (t: string) => paint('32', t)
export const cyan = (t: string) => paint('36', t)

function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/g, '')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

/** Renders a runner's stdout (workflow commands) as a person would see it in the Actions log. */
export function renderLogLine(line: string): string | undefined {
  if (line.startsWith('::debug::') || line.startsWith('::add-mask::') || line === '::endgroup::')
    return undefined
  const group = /^::group::(.*)$/.exec(line)
  if (group) return cyan(`▸ ${group[1]}`)
  const annotation = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
  if (annotation) {
    const [, level, props, message] = annotation
    const title = /title=([^,]*)/.exec(props ?? '')?.[1]
    const text = unescapeCommand(message).replace(/\n/g, '\n    ')
    const label = level === 'error' ? red('Error') : level === 'warning' ? yellow('Warning') : cyan('Notice')
    return `  ${label}${title ? ` (${unescapeCommand(title)})` : ''}: ${text}`
  }
  return `  ${line}`
}

/** Renders the Markdown job summary readably: headings, aligned tables, plain lines. */
export function renderSummary(markdown: string): string {
  const out: string[] = []
  const lines = markdown.split('\n')
  const links = (text: string) =>
    text
      .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, label: string, url: string) =>
        label === url ? url : `${label} <${url}>`
      )
      .replace(/\*\*([^*]+)\*\*/g, (_, strong: string) => bold(strong))
  for (let i = 0; i < lines.length; i++) {
    const line = links(lines[i])
    if (line.startsWith('```')) continue
    if (line.startsWith('|')) {
      const rows: string[][] = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) {
        if (/^\|[\s|:-]+\|$/.test(lines[i])) continue
        rows.push(
          links(lines[i])
            .slice(1, -1)
            .split(/(?<!\\)\|/)
            .map(c => c.trim().replace(/\\\|/g, '|').replace(/<br>/g, ' / '))
        )
      }
      i--
      const widths = rows[0].map((_, c) => Math.min(48, Math.max(...rows.map(r => (r[c] ?? '').length))))
      for (const row of rows) {
        if (row.every(c => c === '')) continue
        out.push(
          '    ' +
            row
              .map((c, k) => c.padEnd(widths[k]))
              .join('  ')
              .trimEnd()
        )
      }
      continue
    }
    const heading = /^#+ (.*)$/.exec(line) ?? /^<h\d>(.*)<\/h\d>$/.exec(line.trim())
    if (heading) out.push('  ' + bold(heading[1]))
    else if (line.trim() !== '') out.push('  ' + line.replace(/<\/?(details|summary)>/g, '').trim())
  }
  return out.filter(l => l.trim() !== '').join('\n')
}
