import { formatDuration } from '../common/format.js'
import { markdownTable, setOutputs, startSummary } from '../common/log.js'
import { invalidationConsoleUrl } from './cloudfront.js'
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

const SHOWN_PATHS = 20

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

export function setActionOutputs(plan: Plan, outcome: Pick<Outcome, 'invalidationId' | 'status'>): void {
  setOutputs({
    'invalidation-id': outcome.invalidationId,
    'distribution-id': plan.distributionId,
    status: outcome.status
  })
}
