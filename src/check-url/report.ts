/**
 * Every exit after the inputs were read ends here: outputs, the job summary (each URL with its result and
 * timing), and an `::error` per failed URL naming what was expected and what came back. The texts are pure
 * functions of the results; `report` writes them.
 */
import * as core from '@actions/core'
import { formatDuration, plural } from '../common/format.js'
import { fenced, writeLayout, type SummaryLayout } from '../common/summary.js'
import { declareOutputs } from '../common/run.js'
import type { CheckResult, StopReason, UrlResult } from './check.js'
import { describeMiss, describeOutcome } from './check.js'
import { describeExpectations, type Expectations } from './expectations.js'
import { bodyExcerpt, EXCERPT_CHARS, headersThatMattered, maskSecrets } from './evidence.js'
import { PACING } from './pacing.js'

export interface ReportContext {
  expectations: Expectations
  timeoutMs: number
  followRedirects: boolean
}

/** The outputs of action.yml, declared once. */
export const outputs = declareOutputs(['status', 'url', 'duration-ms', 'ok'])

export interface Outputs {
  status: string
  url: string
  'duration-ms': number
  ok: boolean
}

/**
 * The outputs describe one URL: the first that failed, else the first one (with one URL, simply that one);
 * `ok` is true only when every URL passed, and `duration-ms` covers the whole check.
 */
export function outputsFor(check: CheckResult): Outputs {
  const shown = check.results.find(result => !result.passed) ?? check.results[0]
  return {
    status: shown.last.kind === 'answer' ? String(shown.last.status) : '',
    url: shown.last.url,
    'duration-ms': Math.round(check.durationMs),
    ok: check.results.every(result => result.passed)
  }
}

/** The outputs when the check could not run to its end (a bug of ours): nothing passed. */
export function outputsWithoutResult(urls: string[], durationMs: number): Outputs {
  return { status: '', url: urls[0] ?? '', 'duration-ms': Math.round(durationMs), ok: false }
}

const WHY: Record<StopReason, (result: UrlResult, context: ReportContext) => string> = {
  passed: () => 'passed',
  fatal: () => 'waiting cannot change this answer, so the check stopped at once',
  settled: result =>
    `it kept answering this way for ${formatDuration(PACING.settleMs)} (${plural(result.attempts, 'attempt')}); an old version still answering would have gone by then`,
  timeout: (result, context) =>
    `it did not pass within the timeout (${formatDuration(context.timeoutMs)}, ${plural(result.attempts, 'attempt')})`
}

/** The `::error` text for one failed URL: why the check stopped, what was expected, and the evidence. */
export function failureMessage(result: UrlResult, context: ReportContext): string {
  const last = result.last
  const lines = [
    `${result.url} failed the site check: ${WHY[result.why](result, context)}.`,
    `Expected: ${describeExpectations(context.expectations).join('; ')}.`
  ]
  if (last.kind === 'no-answer') {
    lines.push(`Got: no answer${last.redirects.length > 0 ? ` from ${last.url}` : ''}: ${last.reason}.`)
    if (last.timedOut) {
      lines.push(
        `Nothing came back in time: each request is given at most ${formatDuration(PACING.requestTimeoutMs)} (less when the timeout leaves less).`
      )
    }
  } else {
    lines.push(`Got: ${describeOutcome(last, [])}.`)
    for (const miss of result.misses) lines.push(`Missed: ${describeMiss(miss)}.`)
    if (last.unfollowed && !last.unfollowed.fatal) {
      lines.push(
        `The redirect was not followed (follow-redirects: false); set follow-redirects: true to check where it leads, or expect the ${last.status}.`
      )
    }
  }
  lines.push(...evidence(result, context))
  return maskSecrets(lines.join('\n'))
}

/** The redirect chain, the headers that mattered, the body excerpt: what came back. */
function evidence(result: UrlResult, context: ReportContext): string[] {
  const last = result.last
  const lines: string[] = []
  if (last.redirects.length > 0) {
    lines.push(
      `Redirects: ${last.redirects.map(hop => `${hop.url} (${hop.status})`).join(' → ')} → ${last.url}`
    )
  }
  if (last.kind === 'answer') {
    const headers = headersThatMattered(
      last.headers,
      context.expectations.headers.map(header => header.name)
    )
    if (headers.length > 0) lines.push(`Headers: ${headers.join('; ')}`)
    lines.push(
      `Body (first ${EXCERPT_CHARS} characters, secrets masked): ${bodyExcerpt(last.body, { truncated: last.truncated })}`
    )
  }
  return lines
}

/** What a failed URL missed, in one line (the summary's Why). */
function whatFailed(result: UrlResult): string {
  const last = result.last
  if (last.kind === 'no-answer') return `no answer: ${last.reason}`
  const misses = result.misses.map(describeMiss).join('; ')
  // the status only: where it came from is the table's Final URL
  const status = `${last.status}${last.statusText ? ` ${last.statusText}` : ''}`
  return misses ? `answered ${status}: ${misses}` : describeOutcome(last, [])
}

/** What to do after a failed check, by why it stopped. */
function fixFor(failed: UrlResult[]): string[] {
  const fixes: string[] = []
  const timedOut = failed.filter(result => result.why === 'timeout')
  if (timedOut.some(result => result.last.kind === 'no-answer'))
    fixes.push(
      'If the site needs longer to come up after a release, raise timeout; else find why it does not answer (the evidence below).'
    )
  if (timedOut.some(result => result.last.kind === 'answer'))
    fixes.push(
      'If the site needs longer to come up after a release, raise timeout; else find why it answers this way (the evidence below), and fix it or roll back (rollback-on-failure).'
    )
  if (failed.some(result => result.why !== 'timeout'))
    fixes.push(
      'If the release broke the site, fix it or roll back (rollback-on-failure); if the expectation is what is wrong, change expect-status, expect-text or expect-header.'
    )
  return fixes
}

/** The job summary: the headline, why and what to do on a failure, each URL with its result, the evidence. */
export function summary(check: CheckResult, context: ReportContext): SummaryLayout {
  const failed = check.results.filter(result => !result.passed)
  const total = check.results.length
  return {
    title: 'Site check',
    tone: failed.length === 0 ? 'success' : 'failure',
    headline:
      failed.length === 0
        ? `${total === 1 ? 'The site answered as expected' : `All ${total} URLs answered as expected`} (${formatDuration(check.durationMs)}).`
        : `${total === 1 ? 'The site check failed' : `${failed.length} of ${total} URLs failed the check`} after ${formatDuration(check.durationMs)}.`,
    why: failed.map(result => maskSecrets(`${result.url}: ${whatFailed(result)}`)),
    whatToDo: failed.length > 0 ? fixFor(failed) : undefined,
    facts: [
      ['Expected', describeExpectations(context.expectations).join('; ')],
      ['Timeout', formatDuration(context.timeoutMs)],
      ['Redirects', context.followRedirects ? 'followed' : 'not followed']
    ],
    tables: [
      {
        headings: ['URL', 'Result', 'Status', 'Final URL', 'Attempts', 'Time', 'Last request'],
        rows: check.results.map(result => [
          result.url,
          result.passed ? '✅ passed' : '❌ failed (see Why)',
          result.last.kind === 'answer' ? result.last.status : undefined,
          result.last.url === result.url ? undefined : maskSecrets(result.last.url),
          result.attempts,
          formatDuration(result.durationMs),
          formatDuration(result.lastProbeMs)
        ])
      }
    ],
    details: failed.map(result => ({
      title: `Evidence for ${result.url}`,
      body: fenced(failureMessage(result, context).split('\n'))
    }))
  }
}

/**
 * Outputs and summary first (so `if: always()` steps can use them), then one `::error` per failed URL, and the
 * step fails. Each failure is its own annotation, titled with its URL, rather than one error listing them all.
 */
export async function report(check: CheckResult, context: ReportContext): Promise<void> {
  outputs.write(outputsFor(check))
  await writeLayout(summary(check, context))
  const failed = check.results.filter(result => !result.passed)
  for (const result of failed) core.error(failureMessage(result, context), { title: 'Site check failed' })
  if (failed.length > 0) process.exitCode = core.ExitCode.Failure
}
