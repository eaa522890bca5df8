import * as core from '@actions/core'
import { explain } from '../common/failure.js'
import { formatDuration } from '../common/format.js'
import { markdownTable, startSummary, writeSummary } from '../common/log.js'
import type { Deadline } from '../common/retry.js'
import { declareOutputs } from '../common/run.js'
import { invalidationConsoleUrl } from './cloudfront.js'
import type { Inputs } from './inputs.js'
import { InvalidationTimeoutError } from './invalidation.js'
import type { Plan } from './plan.js'

/** What happened, for outputs and the job summary. */
export interface Outcome {
  invalidationId: string
  status: string
  /** Time from the first call to the end (ms). */
  elapsedMs: number
  /** True when CloudFront answered with an invalidation made earlier by a try of this same step. */
  reused: boolean
}

/** The run record: what the story has learnt, for the one report. */
export interface InvalidateRun {
  inputs?: Inputs
  deadline?: Deadline
  distributionId?: string
  plan?: Plan
  /** The invalidation, once CloudFront answered CreateInvalidation (then as the wait last saw it). */
  outcome?: Outcome
}

/** The outputs of actions/invalidate-cloudfront/action.yml, each written on every exit. */
export const outputs = declareOutputs(['invalidation-id', 'distribution-id', 'status'])

const SHOWN_PATHS = 20

/**
 * The one exit report: outputs and job summary. An invalidation that exists (the wait failed or timed out) is
 * reported as it stands; before one exists, the summary says why none was made. Refused inputs report nothing
 * (their error is the whole report).
 */
export async function report(record: InvalidateRun, error: unknown): Promise<void> {
  const { inputs, plan, deadline } = record
  if (!inputs) return
  const elapsedMs = deadline?.elapsed() ?? 0
  if (plan && record.outcome) {
    // a wait that timed out carries the last status CloudFront gave
    const status =
      error instanceof InvalidationTimeoutError ? error.invalidation.status : record.outcome.status
    const outcome = error === undefined ? record.outcome : { ...record.outcome, status, elapsedMs }
    outputs.write({
      'invalidation-id': outcome.invalidationId,
      'distribution-id': plan.distributionId,
      status: outcome.status
    })
    summary(plan, outcome)
  } else {
    outputs.write({ 'distribution-id': record.distributionId, status: 'not-created' })
    notCreated(inputs, record.distributionId, elapsedMs)
  }
  if (error !== undefined) {
    const explained = explain(error)
    core.summary.addEOL().addRaw(`**Why:** ${explained.title}: ${explained.message}`, true)
  }
  await writeSummary()
}

function pathList(paths: readonly string[]): string {
  return paths.map(path => `\`${path.replace(/`/g, '%60')}\``).join(', ')
}

/** The job summary (in core.summary): one line with the paths, and the details. */
export function summary(plan: Plan, outcome: Outcome): void {
  const where = plan.domain ? `${plan.distributionId} (${plan.domain})` : plan.distributionId
  const shown = plan.paths.slice(0, SHOWN_PATHS)
  const more = plan.paths.length > SHOWN_PATHS ? ` and ${plan.paths.length - SHOWN_PATHS} more` : ''
  const state =
    outcome.status === 'Completed'
      ? `Completed in ${formatDuration(outcome.elapsedMs)}`
      : plan.wait
        ? `still ${outcome.status} when the step stopped waiting, after ${formatDuration(outcome.elapsedMs)}`
        : `${outcome.status} (not waited for: \`wait: false\`)`
  const text = startSummary('CloudFront invalidation')
    .addRaw(`Invalidated ${pathList(shown)}${more} on ${where}: ${state}.`, true)
    .addEOL()
    .addRaw(
      markdownTable([
        [
          'Invalidation',
          `[${outcome.invalidationId}](${invalidationConsoleUrl(plan.distributionId, outcome.invalidationId)})`
        ],
        ['Distribution', where],
        ['Status', outcome.status],
        ['Paths', plan.paths.length],
        [
          'Caller reference',
          `${plan.callerReference.value}${outcome.reused ? ' (reused: made by an earlier try of this step)' : ''}`
        ]
      ])
    )
  if (plan.paths.length > SHOWN_PATHS) {
    text.addDetails(`All ${plan.paths.length} paths`, `\n\n${plan.paths.map(p => `- \`${p}\``).join('\n')}\n`)
  }
}

/** The summary when no invalidation was made: the distribution as far as it is known, and nothing invalidated. */
function notCreated(inputs: Inputs, distributionId: string | undefined, elapsedMs: number): void {
  const target = inputs.target
  startSummary('CloudFront invalidation: ❌ not created').addRaw(
    markdownTable([
      [
        'Distribution',
        distributionId ?? (target.kind === 'domain' ? `for ${target.domain}` : target.distributionId)
      ],
      ['Status', 'not created: nothing was invalidated'],
      ['Duration', formatDuration(elapsedMs)],
      ['Console', distributionId ? `[Invalidations](${invalidationConsoleUrl(distributionId)})` : undefined]
    ])
  )
}
