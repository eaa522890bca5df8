import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { OutcomeUnknownError } from '../common/failure.js'
import type { Environment } from './beanstalk.js'
import { errorsAmong, follow, type Follow } from './follow.js'
import type { Inputs } from './inputs.js'
import { resolve, swapDone } from './plan.js'

/**
 * Carrying out: the swap (never sent twice blindly: after a lost reply, the pair is read until it is settled and
 * the swap is sent again only when it did not take) and the termination of the idle environment.
 */

export interface Swapped {
  live: Environment
  idle: Environment
  /** When the swap was over (both Ready, the CNAMEs exchanged): the DNS wait counts from here. */
  at: number
  /** SwapEnvironmentCNAMEs requests sent (more than one only after a lost reply that had not taken). */
  requests: number
}

/** Beanstalk's event when a CNAME swap starts (on both environments). */
const SWAP_STARTED = /^swapEnvironmentCNAMEs is starting/i

/** Beanstalk could not finish the swap (its ERROR events say why): the pair as it stands is left as it is. */
function swapFailed(message: string): UserError {
  return new UserError(message, {
    title: 'Swap failed',
    fix: 'Look at both environments and their events in the Beanstalk console; run this step again once both are Ready (it reads who holds the live CNAME first).'
  })
}

const settled = (envs: readonly Environment[], names: readonly string[]) =>
  names.every(name => envs.find(e => e.name === name)?.status === 'Ready') ? envs : undefined

export async function swap(
  f: Follow,
  inputs: Inputs,
  before: { live: Environment; idle: Environment }
): Promise<Swapped> {
  const clock = f.deadline.clock
  const since = new Date(clock.now())
  let requests = 0
  for (;;) {
    requests++
    try {
      core.info(
        `SwapEnvironmentCNAMEs: ${before.idle.name} takes ${inputs.liveCname.host}, ${before.live.name} takes ${before.idle.cname ?? 'its CNAME'}.`
      )
      await f.gateway.swap(before.idle, before.live)
      break
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError) || requests >= 3) throw error
      core.warning(`${error.message} Looking at the pair before sending it again.`, {
        title: 'Reply lost'
      })
      // the swap, if it took, is under way or over: wait until both are Ready, then see who holds live-cname;
      // Beanstalk's own event of the swap starting counts too (a look that came before the status changed)
      let started = false
      const envs = await follow(f, 'the pair to be Ready after the lost reply', since, (envs, events) => {
        started ||= events.some(event => SWAP_STARTED.test(event.message))
        return settled(envs, f.names)
      })
      if (started || resolve(inputs, envs).live.name === before.idle.name) {
        core.info(
          `${started ? 'Beanstalk started the swap' : `${before.idle.name} holds ${inputs.liveCname.host}`}: the swap took effect; it is not sent again.`
        )
        break
      }
      core.info(
        `${before.live.name} still holds ${inputs.liveCname.host}: the swap did not take; sending it again.`
      )
    }
  }
  const after = await follow(
    f,
    `${before.idle.name} to hold ${inputs.liveCname.host} and both to be Ready`,
    since,
    (envs, events) => {
      if (swapDone(inputs, before, envs)) return envs
      const errors = errorsAmong(events)
      if (errors.length > 0 && settled(envs, f.names)) {
        throw swapFailed(
          `The swap did not complete: ${before.live.name} still holds ${inputs.liveCname.host}. Beanstalk: ${errors.join(' ')}`
        )
      }
      return undefined
    }
  )
  const live = after.find(e => e.name === before.idle.name)!
  const idle = after.find(e => e.name === before.live.name)!
  core.info(
    `Swapped: ${live.name} (${live.versionLabel ?? 'no version'}) holds ${inputs.liveCname.host}; ${idle.name} (${idle.versionLabel ?? 'no version'}) is idle at ${idle.cname ?? 'its CNAME'}.`
  )
  return { live, idle, at: clock.now(), requests }
}

/**
 * TerminateEnvironment on the idle environment (only ever called after a successful swap, or with the expected
 * version confirmed live). A lost reply is checked: Terminating (or gone) means it took. Beanstalk finishes the
 * termination on its own (minutes): it is not waited for.
 */
export async function terminateIdle(f: Follow, idle: Environment): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const status = await f.gateway.terminate(idle)
      core.info(
        `TerminateEnvironment: ${idle.name} is ${status}. Beanstalk finishes on its own (a few minutes); the next blue/green release creates the twin again.`
      )
      return status
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError) || attempt >= 2) throw error
      core.warning(`${error.message} Looking at ${idle.name} before sending it again.`, {
        title: 'Reply lost'
      })
      const now = (await f.gateway.environments(f.application, [idle.name]))[0]
      if (!now || now.status === 'Terminating' || now.status === 'Terminated') {
        core.info(
          `${idle.name} is ${now?.status ?? 'gone'}: the termination took effect; it is not sent again.`
        )
        return now?.status ?? 'Terminated'
      }
    }
  }
}
