import * as core from '@actions/core'
import { explain } from './failure.js'
import { cell, writeSummary } from './log.js'

/**
 * The one layout of every action's job summary, so that each reads at a glance and in the same order:
 *
 *   ### ✅ Elastic Beanstalk                 the action, with the outcome's sign
 *   `v2` runs on CRM-env, Green, after 10 s  the headline: the outcome and what now runs where
 *   **Why** / **What to do**                 on a failure, right under it: the decisive messages, one a line,
 *                                            and the fix
 *   ⚠️ warning                               warnings that do not fail the step, one paragraph each
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
  /** Warnings that do not fail the step (a retiring platform), each a paragraph of its own after What to do. */
  warnings?: readonly string[]
  /** Name/value facts; those without a value are left out. Values are Markdown (links allowed). */
  facts?: ReadonlyArray<readonly [string, FactValue]>
  /** Tables of their own (e.g. one row per URL), each with its headings, after the facts. */
  tables?: ReadonlyArray<{ headings: readonly string[]; rows: ReadonlyArray<readonly FactValue[]> }>
  /** Collapsed parts: a title and a Markdown body (a fenced block, a list, a table). */
  details?: ReadonlyArray<{ title: string; body: string }>
}

/** The next step for a failure whose explanation names no fix, by its kind (an input's message carries its own). */
const NEXT_STEP: Partial<Record<ReturnType<typeof explain>['kind'], string>> = {
  aws: "Fix what AWS's message names, then run the step again.",
  timeout: 'Raise timeout if the work needs longer; the log shows what the step was waiting for.',
  unexpected:
    'Run the step again with debug logging on (Re-run jobs → Enable debug logging) and report the bug with that log.'
}

/**
 * **Why** and **What to do** for the error that ended a step: `explain`'s reason under its title, and its fix (as
 * the annotation has them), or the next step for its kind when it names no fix.
 */
export function failureParts(error: unknown): { why: string[]; whatToDo: string[] } {
  const explained = explain(error)
  const fix = explained.fix ?? NEXT_STEP[explained.kind]
  // an AWS error's title is its code ("AWS error NoSuchDistribution"), which its reason starts with
  const code = /^AWS error (\S+)$/.exec(explained.title)?.[1]
  const why =
    code && explained.reason.startsWith(code) ? explained.reason : `${explained.title}: ${explained.reason}`
  return { why: [why], whatToDo: fix ? [fix] : [] }
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

/**
 * A Markdown table with headings (a missing cell is a dash); rows with no value beyond their first cell are left
 * out, and so are columns without a value in any row.
 */
export function table(headings: readonly string[], rows: ReadonlyArray<readonly FactValue[]>): string {
  const kept = rows.filter(row => row.slice(1).some(hasValue))
  if (kept.length === 0) return ''
  const columns = headings.map((_, i) => i).filter(i => i === 0 || kept.some(row => hasValue(row[i])))
  const line = (cells: readonly FactValue[]) =>
    `| ${columns.map(i => cell(hasValue(cells[i]) ? cells[i] : undefined)).join(' | ')} |`
  return [
    `| ${columns.map(i => cell(headings[i])).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...kept.map(line)
  ].join('\n')
}

/**
 * A list of lines as Markdown: one line as a paragraph, several as a bulleted list. A message of several lines
 * (a list of names under it) keeps its line breaks.
 */
function block(lines: readonly string[]): string {
  const kept = lines.map(line => line.replace(/[ \t]*\r?\n\s*/g, '<br>'))
  if (kept.length === 1) return kept[0]
  return kept.map(line => `- ${line}`).join('\n')
}

/** The summary's Markdown, ending in a newline. */
export function renderSummary(layout: SummaryLayout): string {
  const parts: string[] = [`### ${SIGN[layout.tone]} ${layout.title}`, layout.headline.trim()]
  const why = uniqueLines(layout.why ?? [], new Set([layout.headline]))
  const whatToDo = uniqueLines(layout.whatToDo ?? [], new Set([layout.headline, ...why]))
  if (why.length > 0) parts.push(`**Why**\n\n${block(why)}`)
  if (whatToDo.length > 0) parts.push(`**What to do**\n\n${block(whatToDo)}`)
  for (const warning of uniqueLines(layout.warnings ?? [], new Set([layout.headline, ...why, ...whatToDo])))
    parts.push(`⚠️ ${warning}`)
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
