import * as core from '@actions/core'
import { cell, writeSummary } from './log.js'

/**
 * The one layout of every action's job summary, so that each reads at a glance and in the same order:
 *
 *   ### ✅ Elastic Beanstalk                 the action, with the outcome's sign
 *   `v2` runs on CRM-env, Green, after 10 s  the headline: the outcome and what now runs where
 *   **Why** / **What to do**                 on a failure, right under it: the decisive messages, one a line,
 *                                            and the fix
 *   | Fact | Value |                         then the facts that have a value, under real column headings
 *   <details>…</details>                     then the long parts, collapsed (events, names, logs)
 *
 * Each message appears once: a line already shown under Why is not repeated under What to do, and a row
 * without a value is left out. The report of each action builds a `SummaryLayout` (pure); `renderSummary` is pure too, `writeLayout` writes it.
 */
export type Tone = 'success' | 'failure' | 'timeout' | 'dry-run' | 'pending' | 'warning'

const SIGN: Record<Tone, string> = {
  success: '✅',
  failure: '❌',
  timeout: '⏱️',
  'dry-run': '📝',
  pending: '🚀',
  warning: '⚠️'
}

export type FactValue = string | number | boolean | undefined

export interface SummaryLayout {
  /** The action, as the heading: "Elastic Beanstalk", "Site check". */
  title: string
  tone: Tone
  /** One sentence: the outcome and what now runs where. Markdown. */
  headline: string
  /** Why it failed: the decisive messages, one per entry (Beanstalk's own words where it has them). */
  why?: readonly string[]
  /** What to do about it: the fix, as the error annotation has it. */
  whatToDo?: readonly string[]
  /** Name/value facts; those without a value are left out. Values are Markdown (links allowed). */
  facts?: ReadonlyArray<readonly [string, FactValue]>
  /** Tables of their own (e.g. one row per URL), each with its headings, after the facts. */
  tables?: ReadonlyArray<{ headings: readonly string[]; rows: ReadonlyArray<readonly FactValue[]> }>
  /** Collapsed parts: a title and a Markdown body (a fenced block, a list, a table). */
  details?: ReadonlyArray<{ title: string; body: string }>
}

/** True when a fact has something to say (not empty, not a dash). */
export function hasValue(value: FactValue): boolean {
  if (value === undefined) return false
  const text = String(value).trim()
  return text !== '' && text !== '—' && text !== '-'
}

/** The lines, each once, in their first order; blank ones dropped. */
export function uniqueLines(lines: readonly string[], already: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set([...already].map(normalise))
  const out: string[] = []
  for (const line of lines) {
    const key = normalise(line)
    if (key === '' || seen.has(key)) continue
    seen.add(key)
    out.push(line.trim())
  }
  return out
}

function normalise(line: string): string {
  return line
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.\s]+$/, '')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A Markdown table with headings (a missing cell is a dash); rows with no value beyond their first cell are left out. */
export function table(headings: readonly string[], rows: ReadonlyArray<readonly FactValue[]>): string {
  const kept = rows.filter(row => row.slice(1).some(hasValue))
  if (kept.length === 0) return ''
  const line = (cells: readonly FactValue[]) =>
    `| ${headings.map((_, i) => cell(hasValue(cells[i]) ? cells[i] : undefined)).join(' | ')} |`
  return [
    `| ${headings.map(h => cell(h)).join(' | ')} |`,
    `|${headings.map(() => '---').join('|')}|`,
    ...kept.map(line)
  ].join('\n')
}

/** A list of lines as Markdown: one line as a paragraph, several as a bulleted list. */
function block(lines: readonly string[]): string {
  if (lines.length === 1) return lines[0]
  return lines.map(line => `- ${line.replace(/\r?\n/g, ' ')}`).join('\n')
}

/** The summary's Markdown, ending in a newline. */
export function renderSummary(layout: SummaryLayout): string {
  const parts: string[] = [`### ${SIGN[layout.tone]} ${layout.title}`, layout.headline.trim()]
  const why = uniqueLines(layout.why ?? [], new Set([layout.headline]))
  const whatToDo = uniqueLines(layout.whatToDo ?? [], new Set([layout.headline, ...why]))
  if (why.length > 0) parts.push(`**Why**\n\n${block(why)}`)
  if (whatToDo.length > 0) parts.push(`**What to do**\n\n${block(whatToDo)}`)
  const facts = table(['Fact', 'Value'], layout.facts ?? [])
  if (facts) parts.push(facts)
  for (const extra of layout.tables ?? []) {
    const text = table(extra.headings, extra.rows)
    if (text) parts.push(text)
  }
  for (const detail of layout.details ?? []) {
    if (detail.body.trim() === '') continue
    parts.push(
      `<details><summary>${escapeHtml(detail.title)}</summary>\n\n${detail.body.trim()}\n\n</details>`
    )
  }
  return parts.join('\n\n') + '\n'
}

/** A fenced text block whose content cannot close it early. */
export function fenced(lines: readonly string[]): string {
  return ['```text', ...lines.map(line => line.replace(/```/g, "'''")), '```'].join('\n')
}

/** Writes the layout as this step's job summary (GITHUB_STEP_SUMMARY, or the log when it is not set). */
export async function writeLayout(layout: SummaryLayout): Promise<void> {
  core.summary.emptyBuffer().addRaw(renderSummary(layout))
  await writeSummary()
}
