import * as core from '@actions/core'
import { explain } from '../common/failure.js'
import { markdownTable, setOutputs, startSummary, writeSummary } from '../common/log.js'
import { formatDuration } from '../common/format.js'
import { invalidationConsoleUrl } from './cloudfront.js'
import type { Inputs } from './inputs.js'
import type { Plan } from './plan.js'
import { setActionOutputs, summary, type Outcome } from './report.js'

/**
 * Every exit after the inputs were read is reported here, once: the outputs it knows and the job summary.
 * An invalidation that exists (the wait failed or timed out) is reported as it stands; before one exists,
 * the summary says why none was made.
 */
export interface RunState {
  inputs: Inputs
  distributionId?: string
  plan?: Plan
  /** The invalidation, once CloudFront answered CreateInvalidation. */
  created?: Outcome
}

export async function reportExit(
  state: RunState,
  end: { outcome: Outcome } | { error: unknown; elapsedMs: number }
): Promise<void> {
  if ('outcome' in end) {
    if (!state.plan) return
    setActionOutputs(state.plan, end.outcome)
    summary(state.plan, end.outcome)
    await writeSummary()
    return
  }
  const explained = explain(end.error)
  const reason = `${explained.title}: ${explained.message}`
  if (state.plan && state.created) {
    setActionOutputs(state.plan, state.created)
    summary(state.plan, state.created)
  } else {
    setOutputs({
      'invalidation-id': undefined,
      'distribution-id': state.distributionId,
      status: 'not-created'
    })
    const target = state.inputs.target
    startSummary('CloudFront invalidation: ❌ not created').addRaw(
      markdownTable([
        [
          'Distribution',
          state.distributionId ?? (target.kind === 'domain' ? `for ${target.domain}` : target.distributionId)
        ],
        ['Status', 'not created: nothing was invalidated'],
        ['Duration', formatDuration(end.elapsedMs)],
        [
          'Console',
          state.distributionId
            ? `[Invalidations](${invalidationConsoleUrl(state.distributionId)})`
            : undefined
        ]
      ])
    )
  }
  core.summary.addEOL().addRaw(`**Why:** ${reason}`, true)
  await writeSummary()
}
