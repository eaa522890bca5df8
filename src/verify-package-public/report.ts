import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { explain } from '../common/failure.js'
import { markdownTable, startSummary, writeSummary } from '../common/log.js'
import { declareOutputs } from '../common/run.js'
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
    summary(inputs.image, verdict)
  } else {
    outputs.write({ visibility: 'unknown', pullable: false })
    couldNotCheck(inputs.image, error)
  }
  await writeSummary()
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

/** The job summary (in core.summary): one line with the verdict, then the details. */
export function summary(image: ImageReference, verdict: Verdict): void {
  const mark = verdict.level === 'ok' ? '✅' : verdict.level === 'warning' ? '⚠️' : '❌'
  const headline =
    verdict.outcome === 'pullable'
      ? `\`${image.display}\` is ${verdict.visibility}: an anonymous pull works, so Elastic Beanstalk can pull it.`
      : verdict.outcome === 'platform-missing'
        ? `\`${image.display}\` can be pulled without credentials, but not for every wanted platform.`
        : verdict.outcome === 'not-found'
          ? `\`${image.display}\` was not found.`
          : `\`${image.display}\` cannot be pulled without credentials (visibility: ${verdict.visibility}).`
  const text = startSummary('Package visibility').addRaw(`${mark} ${headline}`, true).addEOL()
  if (verdict.level !== 'ok') text.addRaw(verdict.message, true).addEOL()
  text.addRaw(
    markdownTable([
      ['Image', `\`${image.display}\``],
      ['Visibility', verdict.visibility],
      ['Pullable without credentials', verdict.pullable ? 'yes' : 'no'],
      ['Digest', verdict.digest ? `\`${verdict.digest}\`` : undefined],
      ['Platforms', verdict.platforms],
      ['Settings', verdict.settingsUrl]
    ])
  )
}

/** The summary of a check that could not finish: what is known, and why. */
function couldNotCheck(image: ImageReference, error: unknown): void {
  const explained = error instanceof UserError ? error : explain(error)
  startSummary('Package visibility')
    .addRaw(`❌ \`${image.display}\` could not be checked.`, true)
    .addEOL()
    .addRaw(`**Why:** ${explained.title}: ${explained.message}`, true)
    .addEOL()
    .addRaw(
      markdownTable([
        ['Image', `\`${image.display}\``],
        ['Visibility', 'unknown'],
        ['Pullable without credentials', 'unknown']
      ])
    )
}
