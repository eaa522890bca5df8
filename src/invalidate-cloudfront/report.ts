import { formatDuration } from '../common/format.js'
import { failureParts, writeLayout, type SummaryLayout, type Tone } from '../common/summary.js'
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
  const failure = error === undefined ? undefined : failureParts(error)
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
    await writeLayout({
      ...summary(plan, outcome),
      ...failure,
      ...(error === undefined ? {} : toneOf(error))
    })
  } else {
    outputs.write({ 'distribution-id': record.distributionId, status: 'not-created' })
    await writeLayout({ ...notCreated(inputs, record.distributionId, elapsedMs), ...failure })
  }
}

function toneOf(error: unknown): { tone: Tone } {
  return { tone: error instanceof InvalidationTimeoutError ? 'timeout' : 'failure' }
}

function pathList(paths: readonly string[]): string {
  return paths.map(path => `\`${path.replace(/`/g, '%60')}\``).join(', ')
}

/** The job summary of an invalidation that exists: one line with the paths and where it stands, then the facts. */
export function summary(plan: Plan, outcome: Outcome): SummaryLayout {
  const where = plan.domain ? `${plan.distributionId} (${plan.domain})` : plan.distributionId
  const shown = plan.paths.slice(0, SHOWN_PATHS)
  const more = plan.paths.length > SHOWN_PATHS ? ` and ${plan.paths.length - SHOWN_PATHS} more` : ''
  const done = outcome.status === 'Completed'
  const state = done
    ? `Completed in ${formatDuration(outcome.elapsedMs)}`
    : plan.wait
      ? `still ${outcome.status} when the step stopped waiting, after ${formatDuration(outcome.elapsedMs)}`
      : `${outcome.status} (not waited for: \`wait: false\`)`
  return {
    title: 'CloudFront invalidation',
    tone: done ? 'success' : 'pending',
    headline: `Invalidated ${pathList(shown)}${more} on ${where}: ${state}.`,
    facts: [
      [
        'Invalidation',
        `[${outcome.invalidationId}](${invalidationConsoleUrl(plan.distributionId, outcome.invalidationId)})`
      ],
      // the headline names it with its domain
      ['Distribution', plan.distributionId],
      ['Status', outcome.status],
      ['Paths', plan.paths.length],
      [
        'Caller reference',
        `${plan.callerReference.value}${outcome.reused ? ' (reused: made by an earlier try of this step)' : ''}`
      ]
    ],
    details:
      plan.paths.length > SHOWN_PATHS
        ? [{ title: `All ${plan.paths.length} paths`, body: plan.paths.map(p => `- \`${p}\``).join('\n') }]
        : []
  }
}

/** The summary when no invalidation was made: the distribution as far as it is known, and nothing invalidated. */
function notCreated(inputs: Inputs, distributionId: string | undefined, elapsedMs: number): SummaryLayout {
  const target = inputs.target
  const named = target.kind === 'domain' ? target.domain : target.distributionId
  return {
    title: 'CloudFront invalidation',
    tone: 'failure',
    headline: `Nothing was invalidated on ${distributionId && distributionId !== named ? `${distributionId} (${named})` : named}: no invalidation was created.`,
    facts: [
      ['Distribution', distributionId],
      ['Duration', formatDuration(elapsedMs)],
      ['Console', distributionId ? `[Invalidations](${invalidationConsoleUrl(distributionId)})` : undefined]
    ]
  }
}
