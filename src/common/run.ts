import * as core from '@actions/core'
import { awsErrorInfo } from './errors.js'
import { explain } from './failure.js'
import { debug, setOutputs } from './log.js'
import { maskEnvironmentSecrets, scrub } from './secrets.js'
import { bundleVersionLine } from './version.js'

/**
 * How every action runs and ends. An action is three things: a run record (the facts its steps return,
 * gathered by its `main` as the story goes), the story itself, and one report. `runAction` calls the report
 * exactly once, from `finally`, whatever happened (success, a user error, an AWS error, a bug, a signal),
 * then turns a failure into one `::error` annotation and exit code 1.
 *
 *   await runAction({ record: () => ({}), main: record => run(record), report: (record, error) => … })
 */
export interface Action<R> {
  /** A new, empty run record: `main` adds facts to it as its steps return them. */
  record: () => R
  /** The story: inputs → look-up → plan → carry out. Fills the record; reports nothing itself. */
  main: (record: R) => Promise<void>
  /**
   * The one exit report (outputs and job summary), from what the record holds; `error` is set when `main`
   * failed. Called exactly once. A report that throws is shown as an error too, after `main`'s own error.
   */
  report: (record: R, error: unknown) => Promise<void> | void
}

/**
 * `entry`: the URL of the action's entry module (its index.ts passes `import.meta.url`): the first log line
 * names the action by its folder, `dist/<action>/index.js` in the bundle, `src/<action>/index.ts` when the
 * source runs (npm run local). The default, this module's own URL, is the bundle's too (ncc makes one file).
 */
export async function runAction<R>(action: Action<R>, entry: string = import.meta.url): Promise<void> {
  maskEnvironmentSecrets(process.env)
  core.info(bundleVersionLine(entry, process.env))
  const record = action.record()
  let failure: { error: unknown } | undefined
  try {
    await action.main(record)
  } catch (error) {
    failure = { error }
  } finally {
    try {
      await action.report(record, failure?.error)
    } catch (reportError) {
      // the report itself broke (a bug of ours): the run's own error comes first, then this one
      if (failure) reportFailure(failure.error)
      failure = { error: reportError }
    }
  }
  if (failure) reportFailure(failure.error)
}

/** One `::error` annotation (title and fix from `explain`, secrets scrubbed; SDK internals in the debug log) and exit code 1. */
export function reportFailure(error: unknown): void {
  const explained = explain(error)
  for (const line of explained.debug) debug(scrub(line))
  core.error(scrub(explained.message), { title: scrub(explained.title) })
  const requestId = awsErrorInfo(error)?.requestId
  if (requestId) core.info(`AWS request id: ${requestId}`)
  // 1, as core.ExitCode.Failure; written out so the entry also fails under @github/local-action, whose
  // @actions/core stand-in has no ExitCode (npm run local)
  process.exitCode = 1
}

export type OutputValue = string | number | boolean | undefined

/**
 * An action's outputs, declared once (the names of its action.yml). The writer it returns sets every one of
 * them on every call: a value not given is written empty, so each exit leaves no output unset.
 */
export function declareOutputs<const N extends string>(
  names: readonly N[]
): { names: readonly N[]; write: (values: Partial<Record<N, OutputValue>>) => void } {
  return {
    names,
    write: values => setOutputs(Object.fromEntries(names.map(name => [name, values[name]])))
  }
}
