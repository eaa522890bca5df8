import { UserError } from '../common/errors.js'
import { formatDuration } from '../common/format.js'
import { holdsCname, resolvePair, type ResolvedPair } from '../common/pair.js'
import type { Environment } from './beanstalk.js'
import type { Inputs } from './inputs.js'

/**
 * What to do with the pair, decided from what DescribeEnvironments answered (pure). Idempotent by construction:
 * who holds `live-cname` is read first, so a step run again after its swap (with `expect-version-label`) finds the
 * expected version live already and swaps nothing.
 */

/** Beanstalk environments' CNAME records have a 60 s TTL: a resolver may answer with the old target that long. */
export const CNAME_TTL_MS = 60_000

/** Statuses that end on their own: a swap, an update or a launch under way is waited out, then decided again. */
const PASSING = new Set(['Updating', 'Launching'])

export type Decision =
  | { kind: 'swap'; live: Environment; idle: Environment }
  /** `expect-version-label` runs on the live environment already (an earlier try of this step swapped). */
  | { kind: 'already-live'; live: Environment; idle?: Environment }
  /** One of the pair is Updating or Launching: wait until it is not, then decide again. */
  | { kind: 'wait'; live: Environment; idle: Environment; busy: Environment[] }
  | { kind: 'refuse'; live: Environment; idle?: Environment; error: UserError }

/** Which of the pair is live and which idle (a UserError when neither holds `live-cname`). */
export function resolve(inputs: Inputs, environments: readonly Environment[]): ResolvedPair<Environment> {
  return resolvePair(inputs.pair, inputs.liveCname, environments)
}

export function meetsHealth(health: string, required: Inputs['requiredHealth']): boolean {
  return health === 'Green' || (required === 'Yellow' && health === 'Yellow')
}

const refuse = (message: string, fix: string) => new UserError(message, { title: 'Not swapped', fix })

export function decide(inputs: Inputs, pair: ResolvedPair<Environment>): Decision {
  const { live, idle } = pair
  const expected = inputs.expectVersionLabel
  if (expected !== undefined && live.versionLabel === expected) return { kind: 'already-live', live, idle }
  if (!idle) {
    return {
      kind: 'refuse',
      live,
      error: refuse(
        `${pair.idleName}, the idle environment of the pair, does not exist: there is nothing to swap in. ${live.name} holds ${inputs.liveCname.host}.`,
        'Deploy to the idle environment first: deploy-beanstalk with strategy: blue-green creates it as a clone of the live one.'
      )
    }
  }
  const busy = [live, idle].filter(env => PASSING.has(env.status))
  if (busy.length > 0) return { kind: 'wait', live, idle, busy }
  for (const env of [live, idle]) {
    if (env.status !== 'Ready') {
      return {
        kind: 'refuse',
        live,
        idle,
        error: refuse(
          `${env.name} is ${env.status}: both environments must be Ready to swap.`,
          'Look at the environment in the Beanstalk console; run this step again once both are Ready.'
        )
      }
    }
  }
  if (expected !== undefined && idle.versionLabel !== expected) {
    return {
      kind: 'refuse',
      live,
      idle,
      error: refuse(
        `${idle.name} runs ${idle.versionLabel ?? 'no version'}, not ${expected}: it is not swapped in. ${live.name} stays live with ${live.versionLabel ?? 'no version'}.`,
        `Deploy ${expected} to ${idle.name} first (deploy-beanstalk with strategy: blue-green), or set expect-version-label to the version it runs.`
      )
    }
  }
  if (!meetsHealth(idle.health, inputs.requiredHealth)) {
    return {
      kind: 'refuse',
      live,
      idle,
      error: refuse(
        `${idle.name} is ${idle.health}, and required-health is ${inputs.requiredHealth}: an environment that is not healthy is never swapped in. ${live.name} stays live.`,
        `Find why ${idle.name} is ${idle.health} (its events and logs in the Beanstalk console) and deploy a working version to it${inputs.requiredHealth === 'Green' ? '; or accept Yellow with required-health: Yellow' : ''}.`
      )
    }
  }
  return { kind: 'swap', live, idle }
}

/**
 * Whether `idle-after-swap: terminate` may act when this run swapped nothing (the expected version was live
 * already): only when the live environment is Ready and healthy, so the idle one is truly not needed.
 */
export function terminateRefusal(inputs: Inputs, live: Environment): UserError | undefined {
  if (live.status === 'Ready' && meetsHealth(live.health, inputs.requiredHealth)) return undefined
  return new UserError(
    `${live.name} (live, ${inputs.expectVersionLabel}) is ${live.status} and ${live.health}: the idle environment is kept, since it may be needed to swap back.`,
    {
      title: 'Not terminated',
      fix: `Look at ${live.name} in the Beanstalk console; terminate the idle one once the live one is healthy.`
    }
  )
}

/** True when the swap is over: both Ready, the old idle holds `live-cname` and the old live the idle's CNAME. */
export function swapDone(
  inputs: Inputs,
  before: { live: Environment; idle: Environment },
  now: readonly Environment[]
): boolean {
  const live = now.find(e => e.name === before.idle.name)
  const idle = now.find(e => e.name === before.live.name)
  return (
    live?.status === 'Ready' &&
    idle?.status === 'Ready' &&
    holdsCname(live.cname, inputs.liveCname) &&
    (idle.cname ?? '').toLowerCase() === (before.idle.cname ?? '').toLowerCase()
  )
}

const describeEnv = (env: Environment) =>
  `${env.name} (${env.versionLabel ?? 'no version'}, ${env.status}, ${env.health}, ${env.cname ?? 'no CNAME'})`

/** The plan as log lines (what `dry-run` prints). */
export function describePlan(inputs: Inputs, decision: Decision): string[] {
  const lines = [`Live:   ${describeEnv(decision.live)}: holds ${inputs.liveCname.host}`]
  lines.push(`Idle:   ${decision.idle ? describeEnv(decision.idle) : 'does not exist'}`)
  switch (decision.kind) {
    case 'already-live':
      lines.push(
        `Swap:   none: ${decision.live.name} already runs ${inputs.expectVersionLabel} and holds the live CNAME (an earlier try of this step swapped).`
      )
      break
    case 'refuse':
      lines.push(`Swap:   refused: ${decision.error.message}`)
      break
    case 'wait':
      lines.push(
        `Swap:   ${decision.busy.map(e => `${e.name} is ${e.status}`).join(', ')}: waited out, then decided again.`
      )
      break
    case 'swap':
      lines.push(
        `Swap:   SwapEnvironmentCNAMEs: ${decision.idle.name} takes ${inputs.liveCname.host}, ${decision.live.name} takes ${decision.idle.cname ?? 'its CNAME'}; followed until both are Ready.`,
        `DNS:    Beanstalk's CNAME records have a TTL of ${CNAME_TTL_MS / 1000} s: resolvers may send visitors to ${decision.live.name} that long after the swap. ${inputs.waitForDns ? `Waited out (wait-for-dns), within the timeout.` : 'Not waited for (wait-for-dns: false).'}`
      )
  }
  if (inputs.idleAfterSwap === 'terminate' && decision.kind !== 'refuse') {
    const idle = decision.kind === 'swap' ? decision.live : decision.idle
    lines.push(
      `Then:   terminate ${idle?.name ?? 'the idle environment'} once ${decision.kind === 'swap' ? 'the swap succeeded' : 'it is confirmed idle'} (idle-after-swap: terminate; the next release re-creates the twin).`
    )
    if (decision.kind === 'swap' && !inputs.waitForDns) {
      lines.push(
        `        Warning: with wait-for-dns: false, visitors whose resolvers still hold the old record reach ${decision.live.name} while it terminates.`
      )
    }
  }
  lines.push(
    `Timeout: ${formatDuration(inputs.timeoutMs)}${inputs.dryRun ? '. Dry run: nothing is changed.' : ''}`
  )
  return lines
}
