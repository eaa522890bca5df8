import * as core from '@actions/core'
import { UserError } from '../common/errors.js'
import { explain } from '../common/failure.js'
import { markdownTable, setOutputs, startSummary, writeSummary } from '../common/log.js'
import type { ImageReference } from './reference.js'
import type { Verdict } from './verdict.js'

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

/** Outputs and summary first (so `if: always()` steps can use them), then the verdict; an error fails the step. */
export async function report(image: ImageReference, verdict: Verdict): Promise<void> {
  setOutputs({ visibility: verdict.visibility, pullable: verdict.pullable, digest: verdict.digest })
  summary(image, verdict)
  await writeSummary()
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

/** A check that could not finish (network, registry error, a bug): what is known, and why, in the summary. */
export async function reportFailure(image: ImageReference, error: unknown): Promise<void> {
  const explained = error instanceof UserError ? error : explain(error)
  setOutputs({ visibility: 'unknown', pullable: false, digest: undefined })
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
  await writeSummary()
}
