import { formatDuration } from '../common/format.js'
import type { Inputs } from './inputs.js'
import type { PathPlan } from './paths.js'
import { callerReference, type CallerReference } from './reference.js'

/** What this step will do, decided before any change: printable. */
export interface Plan {
  distributionId: string
  /** The domain it was found by, when given by domain. */
  domain?: string
  paths: readonly string[]
  pathPlan: PathPlan
  callerReference: CallerReference
  wait: boolean
  timeoutMs: number
}

export function makePlan(
  inputs: Inputs,
  distribution: { id: string; domain?: string },
  env: NodeJS.ProcessEnv = process.env
): Plan {
  return {
    distributionId: distribution.id,
    domain: distribution.domain,
    paths: inputs.paths.paths,
    pathPlan: inputs.paths,
    callerReference: callerReference(distribution.id, inputs.paths.paths, env),
    wait: inputs.wait,
    timeoutMs: inputs.timeoutMs
  }
}

/** The plan as log lines. */
export function describePlan(plan: Plan): string[] {
  const { pathPlan } = plan
  const where = plan.domain ? `${plan.distributionId} (${plan.domain})` : plan.distributionId
  const lines = [
    `Invalidate ${plan.paths.length} path${plan.paths.length === 1 ? '' : 's'} (${pathPlan.wildcards} wildcard) on ${where}:`,
    ...plan.paths.slice(0, 50).map(path => `  ${path}`)
  ]
  if (plan.paths.length > 50) lines.push(`  … and ${plan.paths.length - 50} more`)
  if (pathPlan.duplicates.length > 0) {
    lines.push(`Left out ${pathPlan.duplicates.length} duplicate path(s): ${pathPlan.duplicates.join(', ')}`)
  }
  for (const { path, by } of pathPlan.covered) lines.push(`Left out ${path}: already covered by ${by}`)
  lines.push(
    plan.callerReference.derived
      ? `CallerReference ${plan.callerReference.value} (derived from this run: a retry of this step gets the same invalidation back)`
      : `CallerReference ${plan.callerReference.value} (not running in GitHub Actions: unique)`
  )
  lines.push(
    plan.wait
      ? `Then wait until CloudFront reports it Completed, for at most ${formatDuration(plan.timeoutMs)}.`
      : `Then stop without waiting (wait: false); CloudFront finishes it on its own.`
  )
  return lines
}
