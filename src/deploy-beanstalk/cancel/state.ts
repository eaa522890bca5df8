import * as core from '@actions/core'

/**
 * What this run started in Beanstalk, kept for the post step (core.saveState → the runner's STATE_ variables):
 * every UpdateEnvironment Beanstalk accepted (the deploy's, a two-step path's, the rollback's) overwrites it, so
 * it always names the run's latest update; the step clears it when it ends by itself. The post step runs only when
 * the job was cancelled or failed (action.yml's post-if) and aborts what this names, if it is still running.
 */

export const STATE = { update: 'update', isPost: 'isPost' } as const

export interface StartedUpdate {
  region: string
  application: string
  environmentId: string
  environmentName: string
  /** The version the update deploys; undefined for a configuration-only update (the version stays). */
  label?: string
  /** UpdateEnvironment's request id: the update's events carry it (undefined when its reply was lost). */
  requestId?: string
  /** When it was requested (ISO 8601): events before it are another update's. */
  since: string
}

/** Records an update this run started (the latest one wins). */
export function saveStarted(update: StartedUpdate): void {
  core.saveState(STATE.update, JSON.stringify(update))
}

/** The step ended by itself (whatever its result): nothing of it is left for the post step to abort. */
export function clearStarted(): void {
  core.saveState(STATE.update, '')
}

/** The update the main step saved, in the post step; undefined when there is none (or it is unreadable). */
export function readStarted(text: string = core.getState(STATE.update)): StartedUpdate | undefined {
  if (text.trim() === '') return undefined
  try {
    const value = JSON.parse(text) as Partial<StartedUpdate>
    if (typeof value.environmentId !== 'string' || typeof value.region !== 'string') return undefined
    if (typeof value.since !== 'string') return undefined
    return value as StartedUpdate
  } catch {
    return undefined
  }
}
