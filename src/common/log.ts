import * as core from '@actions/core'
import { appendFile } from 'node:fs/promises'
import { scrub } from './secrets.js'

/**
 * Logging phases, outputs and the job summary. The summary is built on `core.summary`; this module adds only
 * what it lacks: Markdown tables (its `addTable` writes HTML, in which Markdown links do not render), a
 * fallback for runners without GITHUB_STEP_SUMMARY (older act, local runs), where the summary goes to the log,
 * and a write that reads GITHUB_STEP_SUMMARY each time (`core.summary.write()` keeps the first path it saw for
 * the life of the process, which in-process tests of several runs outlive).
 */

/**
 * Request detail for the debug log (`::debug::` lines): written only when the runner's debug logging is on
 * (RUNNER_DEBUG=1: "Enable debug logging" on a re-run, or the secret ACTIONS_STEP_DEBUG), as the runner would
 * show them. Off, nothing is written: a run by hand, a test or a local tool shows the log a user reads, with its
 * first `::error` in view, not under dozens of SDK lines the runner would have hidden. Every `::debug::` line of
 * the actions goes through here (eslint forbids `core.debug` elsewhere).
 */
export function debug(message: string): void {
  if (core.isDebug()) core.debug(message)
}

/** Runs one phase of an action inside a collapsible log group. */
export async function phase<T>(title: string, fn: () => Promise<T>): Promise<T> {
  return core.group(title, fn)
}

/** Escapes text for a Markdown table cell; a dash for a missing value. */
export function cell(value: string | number | boolean | undefined): string {
  if (value === undefined || value === '') return '—'
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/** A Markdown table of name/value rows (an empty header row, as GitHub needs one). */
export function markdownTable(rows: Array<[string, string | number | boolean | undefined]>): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n') + '\n'
}

/** A Markdown table with a header row (core.summary's addTable writes HTML, where Markdown links do not render). */
export function markdownGrid(
  header: string[],
  rows: Array<Array<string | number | boolean | undefined>>
): string {
  return (
    [
      `| ${header.map(cell).join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)
    ].join('\n') + '\n'
  )
}

/** A job summary under way: a heading, then the lines and tables the report adds. */
export function startSummary(heading: string): typeof core.summary {
  return core.summary.emptyBuffer().addHeading(heading, 3).addEOL()
}

/** Appends `core.summary` to GITHUB_STEP_SUMMARY, or prints it into the log when that is not set; empties it. */
export async function writeSummary(): Promise<void> {
  const text = scrub(core.summary.stringify())
  core.summary.emptyBuffer()
  const file = process.env.GITHUB_STEP_SUMMARY
  if (file) {
    await appendFile(file, text, 'utf8')
    return
  }
  core.info('GITHUB_STEP_SUMMARY is not set; the job summary follows:')
  core.info(text)
}

/** Sets every output and echoes it in the debug log. */
export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    const text = scrub(value === undefined ? '' : String(value))
    core.setOutput(name, text)
    debug(`output ${name}=${text}`)
  }
}
