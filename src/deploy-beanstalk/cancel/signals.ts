import { UserError } from '../../common/errors.js'
import type { Action } from '../../common/run.js'

/**
 * SIGINT and SIGTERM (what the runner sends a step it cancels, or that ran past its timeout-minutes, before it
 * kills it): the step stops waiting at once and writes its report (outputs, summary, the error). It does not
 * abort the update itself: the post step does that (post.ts), once, and also after a kill that left no time for a
 * handler; the update this run started was saved for it (state.ts) and is left saved.
 */

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** The run was stopped by a signal: the report says so, and what happens to the update. */
export class StoppedBySignal extends UserError {
  constructor(readonly signal: string) {
    super(
      `The step was stopped (${signal}: the run was cancelled or ran out of time) while it waited on Beanstalk. An update this run started is aborted by the action's post step when it is still running; otherwise nothing more is done.`,
      { title: 'Cancelled' }
    )
  }
}

/**
 * The action, stopped by the first SIGINT or SIGTERM: its `main` ends then with StoppedBySignal (what it was
 * waiting for is left behind; the caller ends the process once the report is written: see `signal`). The handlers
 * stay until the process ends, so a second signal cannot cut the report short.
 */
export function stopOnSignal<R>(action: Action<R>): Action<R> & { signal: () => string | undefined } {
  let received: string | undefined
  let stop: (error: StoppedBySignal) => void = () => undefined
  const stopped = new Promise<never>((_, reject) => (stop = reject))
  stopped.catch(() => undefined) // a signal after main ended rejects nobody's wait
  for (const name of STOP_SIGNALS)
    process.on(name, () => {
      received ??= name
      stop(new StoppedBySignal(name))
    })
  return {
    record: action.record,
    main: async record => {
      await Promise.race([action.main(record), stopped])
    },
    report: action.report,
    signal: () => received
  }
}
