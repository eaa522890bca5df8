import * as core from '@actions/core'
import { UserError, awsErrorInfo, describeError } from './errors.js'
import { bundleVersionLine } from './version.js'

/**
 * Runs an action's `main` and turns any failure into one `::error` annotation and exit code 1:
 * a UserError says what to fix; an AWS error shows AWS's own code and message; anything else is a bug,
 * shown with its stack in the debug log. The first line of the log says which imbit/actions runs (release
 * tag or commit).
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  core.info(bundleVersionLine(import.meta.url, process.env))
  try {
    await main()
  } catch (error) {
    reportFailure(error)
  }
}

export function reportFailure(error: unknown): void {
  if (error instanceof UserError) {
    core.error(error.message, { title: error.title })
  } else if (awsErrorInfo(error)) {
    const info = awsErrorInfo(error)!
    core.error(describeError(error), { title: `AWS error ${info.code}` })
    if (info.requestId) core.info(`AWS request id: ${info.requestId}`)
  } else {
    core.error(describeError(error), { title: 'Unexpected error' })
    if (error instanceof Error && error.stack) core.debug(error.stack)
  }
  process.exitCode = core.ExitCode.Failure
}
