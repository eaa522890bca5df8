import * as core from '@actions/core'
import { awsErrorInfo } from './errors.js'
import { explain } from './failure.js'
import { maskEnvironmentSecrets, scrub } from './secrets.js'
import { bundleVersionLine } from './version.js'

/**
 * Runs an action's `main`: masks the job's AWS secrets first, then turns any failure into one `::error`
 * annotation (title and fix from `explain`, secrets scrubbed; SDK internals in the debug log) and exit code 1.
 * Each action's `main` writes its own outputs and job summary on every exit (its report), before this.
 * The first line of the log says which imbit/actions runs (release tag or commit).
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  maskEnvironmentSecrets(process.env)
  core.info(bundleVersionLine(import.meta.url, process.env))
  try {
    await main()
  } catch (error) {
    reportFailure(error)
  }
}

export function reportFailure(error: unknown): void {
  const explained = explain(error)
  for (const line of explained.debug) core.debug(scrub(line))
  core.error(scrub(explained.message), { title: scrub(explained.title) })
  const requestId = awsErrorInfo(error)?.requestId
  if (requestId) core.info(`AWS request id: ${requestId}`)
  // 1, as core.ExitCode.Failure; written out so the entry also fails under @github/local-action, whose
  // @actions/core stand-in has no ExitCode (npm run local)
  process.exitCode = 1
}
