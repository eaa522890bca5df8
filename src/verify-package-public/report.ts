import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { declareOutputs } from '../common/run.js'
import { failureParts, writeLayout, type SummaryLayout } from '../common/summary.js'
import type { Inputs } from './inputs.js'
import type { ImageReference } from './reference.js'
import type { Verdict } from './verdict.js'

/** The run record: what the story has learnt, for the one report. */
export interface VerifyRun {
  inputs?: Inputs
  /** The verdict, once the pull (and the API) answered. */
  verdict?: Verdict
}

/** The outputs of actions/verify-package-public/action.yml, each written on every exit. */
export const outputs = declareOutputs(['visibility', 'pullable', 'digest'])

/**
 * The one exit report: outputs and job summary, from the verdict; a check that could not finish (network,
 * registry error, a bug) says what is known, and why. Refused inputs report nothing (their error is the report).
 */
export async function report({ inputs, verdict }: VerifyRun, error: unknown): Promise<void> {
  if (!inputs) return
  if (verdict) {
    outputs.write({ visibility: verdict.visibility, pullable: verdict.pullable, digest: verdict.digest })
    await writeLayout(summary(inputs.image, verdict))
  } else {
    outputs.write({ visibility: 'unknown', pullable: false })
    await writeLayout(couldNotCheck(inputs.image, error))
  }
}

/** The verdict in the log: its warnings, then a pass line, a warning, or the error that fails the step. */
export function announce(verdict: Verdict): void {
  for (const warning of verdict.warnings) core.warning(warning, { title: 'Package visibility' })
  if (verdict.level === 'error') {
    throw new UserError(verdict.message, {
      title:
        verdict.outcome === 'not-found'
          ? 'Image not found'
          : verdict.outcome === 'platform-missing'
            ? 'Platform missing'
            : 'Package is not public'
    })
  }
  if (verdict.level === 'warning') core.warning(verdict.message, { title: 'Package is not public' })
  else core.info(verdict.message)
}

const TITLE = 'Package visibility'

/** The job summary: the verdict in one line; what is wrong and what to do when it is not ok; then the facts. */
export function summary(image: ImageReference, verdict: Verdict): SummaryLayout {
  const shown = `\`${image.display}\``
  const headline =
    verdict.outcome === 'pullable'
      ? `${shown} is ${verdict.visibility}: an anonymous pull works, so Elastic Beanstalk can pull it.`
      : verdict.outcome === 'platform-missing'
        ? `${shown} can be pulled without credentials, but not for every wanted platform.`
        : verdict.outcome === 'not-found'
          ? `${shown} was not found.`
          : `${shown} cannot be pulled without credentials (visibility: ${verdict.visibility}).`
  const fine = verdict.level === 'ok'
  return {
    title: TITLE,
    tone: fine ? 'success' : verdict.level === 'warning' ? 'warning' : 'failure',
    headline,
    why: fine ? undefined : [verdict.reason],
    whatToDo: fine || !verdict.fix ? undefined : [verdict.fix],
    warnings: verdict.warnings,
    facts: [
      ['Visibility', verdict.visibility],
      ['Pullable without credentials', verdict.pullable ? 'yes' : 'no'],
      ['Digest', verdict.digest ? `\`${verdict.digest}\`` : undefined],
      ['Platforms', verdict.platforms],
      // the settings link once: in What to do when that is where it belongs
      ['Settings', verdict.fix?.includes(verdict.settingsUrl ?? '\0') ? undefined : verdict.settingsUrl]
    ]
  }
}

/** The summary of a check that could not finish: what is known, and why. */
function couldNotCheck(image: ImageReference, error: unknown): SummaryLayout {
  return {
    title: TITLE,
    tone: 'failure',
    headline: `\`${image.display}\` could not be checked: whether Elastic Beanstalk can pull it is not known.`,
    ...failureParts(error),
    facts: [
      ['Visibility', 'unknown'],
      ['Pullable without credentials', 'unknown']
    ]
  }
}
