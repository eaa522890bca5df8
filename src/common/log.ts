import * as core from '@actions/core'
import { appendFile } from 'node:fs/promises'

/** Runs one phase of an action inside a collapsible log group. */
export async function phase<T>(title: string, fn: () => Promise<T>): Promise<T> {
  return core.group(title, fn)
}

/** Escapes text for a Markdown table cell. */
export function cell(value: string | number | boolean | undefined): string {
  if (value === undefined || value === '') return '—'
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/**
 * A small Markdown job-summary builder. `write()` appends to GITHUB_STEP_SUMMARY, or, where that is not
 * set (older act, local runs), prints the summary into the log so nothing is lost and nothing fails.
 */
export class JobSummary {
  private readonly parts: string[] = []

  heading(text: string, level = 3): this {
    this.parts.push(`${'#'.repeat(level)} ${text}\n`)
    return this
  }
  line(text: string): this {
    this.parts.push(`${text}\n`)
    return this
  }
  table(rows: Array<[string, string | number | boolean | undefined]>): this {
    const out = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)]
    this.parts.push(out.join('\n') + '\n')
    return this
  }
  grid(header: string[], rows: Array<Array<string | number | boolean | undefined>>): this {
    const out = [
      `| ${header.map(cell).join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)
    ]
    this.parts.push(out.join('\n') + '\n')
    return this
  }
  details(summaryText: string, body: string): this {
    this.parts.push(`<details><summary>${summaryText}</summary>\n\n${body}\n</details>\n`)
    return this
  }
  toString(): string {
    return this.parts.join('\n')
  }
  async write(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    const text = this.toString() + '\n'
    const file = env.GITHUB_STEP_SUMMARY
    if (file) {
      await appendFile(file, text, 'utf8')
    } else {
      core.info('GITHUB_STEP_SUMMARY is not set; the job summary follows:')
      core.info(text)
    }
  }
}

/** Sets every output and echoes it in the debug log. */
export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    const text = value === undefined ? '' : String(value)
    core.setOutput(name, text)
    core.debug(`output ${name}=${text}`)
  }
}
