import { formatDuration } from '../common/format.js'
import { isGhcrLike, type ImageReference } from './reference.js'
import { settingsUrl, type ApiResult, type Visibility } from './packages.js'
import { formatPlatform, missingPlatforms, type ImagePlatforms, type Platform } from './platform.js'
import type { PullResult } from './registry.js'

/** The anonymous pull, as finally seen: pullable, refused, or not found once the timeout was spent. */
export type PullVerdict = PullResult | { kind: 'not-found'; detail: string; waitedMs: number }

export interface Verdict {
  visibility: Visibility | 'unknown'
  pullable: boolean
  digest: string
  /**
   * `pullable`: fine; `not-pullable`: private/internal (or refused); `not-found`: no such tag or package;
   * `platform-missing`: pullable, but not for every wanted platform.
   */
  outcome: 'pullable' | 'not-pullable' | 'not-found' | 'platform-missing'
  /** What the image serves, in words (`linux/amd64, linux/arm64 (manifest list)`), when it was read. */
  platforms?: string
  /** How the step ends: `error` fails it. */
  level: 'ok' | 'warning' | 'error'
  /** The verdict in plain words (the annotation for warning/error): `reason`, then `fix`. */
  message: string
  /** What is wrong (or right), without the fix: the summary's Why. */
  reason: string
  /** What to do about it, when something is wrong: the summary's What to do. */
  fix?: string
  /** The settings page where visibility is changed, when it is a GitHub package. */
  settingsUrl?: string
  /** Extra warnings (e.g. the API refused the token). */
  warnings: string[]
}

export interface VerdictContext {
  image: ImageReference
  pull: PullVerdict
  api: ApiResult
  failOnPrivate: boolean
  /** GITHUB_SERVER_URL (https://github.com unless on GitHub Enterprise Server). */
  serverUrl: string
  /** The platforms the image must serve (the `platforms` input); none: not checked. */
  platforms?: Platform[]
}

const BEANSTALK =
  'Elastic Beanstalk pulls images without credentials, so a deploy of it would fail late with "pull access denied".'
const NO_API = 'Visibility cannot be changed through the API, only on that page.'

/** Pull result + API result → the verdict, outputs and message. Pure. */
export function decide(ctx: VerdictContext): Verdict {
  const { image, pull, api } = ctx
  const warnings = apiWarnings(ctx)
  const apiVisibility = api.kind === 'found' ? api.visibility : undefined
  const link = packageSettings(ctx)

  if (pull.kind === 'pullable') {
    if (apiVisibility && apiVisibility !== 'public') {
      warnings.push(
        `GitHub reports ${image.display} as ${apiVisibility}, yet an anonymous pull worked; the pull decides (it is what Beanstalk does).`
      )
    }
    const found = pull.platforms
    const platforms = found ? describePlatforms(found) : undefined
    const missing =
      found && found.kind !== 'unknown' ? missingPlatforms(ctx.platforms ?? [], found.platforms) : []
    if (found?.kind === 'unknown' && ctx.platforms?.length) {
      warnings.push(
        `The platforms of ${image.display} could not be read (${found.reason}), so ${ctx.platforms.map(formatPlatform).join(', ')} was not checked.`
      )
    }
    if (found && found.kind !== 'unknown' && missing.length > 0) {
      return {
        visibility: apiVisibility ?? 'public',
        pullable: true,
        digest: pull.digest,
        outcome: 'platform-missing',
        level: 'error',
        ...platformMessage(image.display, found, missing),
        platforms,
        warnings
      }
    }
    return {
      visibility: apiVisibility ?? 'public',
      pullable: true,
      digest: pull.digest,
      outcome: 'pullable',
      level: 'ok',
      ...said(
        `${image.display} can be pulled without credentials${pull.digest ? ` (digest ${pull.digest})` : ''}${platforms && found?.kind !== 'unknown' ? ` for ${found?.platforms.map(formatPlatform).join(', ')}` : ''}: Elastic Beanstalk can pull it.`
      ),
      platforms,
      warnings
    }
  }

  if (pull.kind === 'not-found') {
    const what = image.digest ? `no manifest ${image.digest}` : `no tag "${image.tag}"`
    const missing =
      api.kind === 'missing'
        ? `The GitHub packages API does not know the package ${image.owner}/${image.name} either: check the name, and that the build pushed it.`
        : `Check that the build pushed this ${image.digest ? 'digest' : 'tag'} (docker/build-push-action with push: true) before this step.`
    return {
      visibility: apiVisibility ?? 'unknown',
      pullable: false,
      digest: '',
      outcome: 'not-found',
      level: 'error',
      ...said(
        `${image.display} was not found: ${image.registry} has ${what} for ${image.repository} (${pull.detail}; kept trying for ${formatDuration(pull.waitedMs)} in case a push had just finished).`,
        missing
      ),
      settingsUrl: link?.url,
      warnings
    }
  }

  const level = ctx.failOnPrivate ? 'error' : 'warning'
  const where = link ? `Make it public at ${link.text}. ${NO_API}` : undefined
  let told: Pick<Verdict, 'message' | 'reason' | 'fix'>
  if (apiVisibility === 'private' || apiVisibility === 'internal') {
    const who =
      apiVisibility === 'internal'
        ? 'only members of the enterprise can pull it'
        : 'only people and workflows given access can pull it'
    told = said(
      `${image.display} is ${apiVisibility}: ${who}, and the registry refused an anonymous pull (${pull.detail}). ${BEANSTALK}`,
      where
    )
  } else if (apiVisibility === 'public') {
    const reason = `GitHub reports ${image.display} as public, but the registry refused an anonymous pull (${pull.detail}).`
    const again = 'If its visibility was just changed, run this again in a minute.'
    const check = link ? ` Check ${link.text}.` : ''
    told = {
      message: `${reason} ${again} ${BEANSTALK}${check}`,
      reason: `${reason} ${BEANSTALK}`,
      fix: again + check
    }
  } else if (!isGhcrLike(image)) {
    told = said(
      `${image.display} cannot be pulled without credentials (${pull.detail}). ${BEANSTALK}`,
      `Make the image public in ${image.registry}'s settings.`
    )
  } else {
    const unknown =
      api.kind === 'missing'
        ? `the GitHub packages API does not know ${image.owner}/${image.name} (it does not exist, or the token cannot see it)`
        : 'its visibility could not be read from the GitHub packages API'
    told = said(
      `${image.display} cannot be pulled without credentials (${pull.detail}): the package is private, or does not exist; ${unknown}. ${BEANSTALK}`,
      where
    )
  }
  if (!ctx.failOnPrivate) told.message += ' (fail-on-private is false: this step does not fail.)'
  return {
    visibility: apiVisibility ?? 'unknown',
    pullable: false,
    digest: '',
    outcome: 'not-pullable',
    level,
    ...told,
    settingsUrl: link?.url,
    warnings
  }
}

/** `linux/amd64, linux/arm64 (manifest list)`, `linux/arm64 (single-platform image)`. */
export function describePlatforms(found: ImagePlatforms): string {
  if (found.kind === 'unknown') return `unknown (${found.reason})`
  const list = found.platforms.map(formatPlatform).join(', ') || 'no runnable platform'
  return `${list} (${found.kind === 'index' ? 'manifest list' : 'single-platform image'})`
}

/** The annotation's text: what is wrong, then the fix. */
function said(reason: string, fix?: string): Pick<Verdict, 'message' | 'reason' | 'fix'> {
  return { message: fix ? `${reason} ${fix}` : reason, reason, fix }
}

function platformMessage(
  display: string,
  found: Exclude<ImagePlatforms, { kind: 'unknown' }>,
  missing: Platform[]
): Pick<Verdict, 'message' | 'reason' | 'fix'> {
  const wanted = missing.map(formatPlatform).join(', ')
  const holds = found.platforms.map(formatPlatform).join(', ')
  const what =
    found.kind === 'index'
      ? `its manifest list holds ${holds || 'no runnable platform'}`
      : `it is a single-platform image for ${holds}`
  return said(
    `${display} has no ${wanted} image: ${what}. Elastic Beanstalk would pull it, then fail to run it on an instance of that platform (t3 instances are linux/amd64, t4g linux/arm64).`,
    `Build it for ${wanted} (the reusable workflow's \`platforms\` build input, e.g. \`platforms: ${[...new Set([...found.platforms, ...missing].map(formatPlatform))].join(',')}\`), or set this step's \`platforms\` to the instance's platform.`
  )
}

/** The settings link: known owner type from the API, else the organisation form with the user form beside it. */
function packageSettings(ctx: VerdictContext): { url: string; text: string } | undefined {
  const { image, api, serverUrl } = ctx
  if (!isGhcrLike(image) || image.owner === undefined) return undefined
  if (api.kind === 'found') {
    const url = settingsUrl(serverUrl, api.ownerType, image.owner, image.name)
    return { url, text: url }
  }
  const org = settingsUrl(serverUrl, 'orgs', image.owner, image.name)
  const user = settingsUrl(serverUrl, 'users', image.owner, image.name)
  return { url: org, text: `${org} (for a package owned by a user account: ${user})` }
}

function apiWarnings(ctx: VerdictContext): string[] {
  const { api } = ctx
  if (api.kind === 'refused') {
    return [
      `The GitHub packages API refused the token (${api.status}: ${api.message}), so the package's visibility is not known; the anonymous pull check decides. Give the job \`permissions: packages: read\` (or pass a token that may read packages) for the diagnosis.`
    ]
  }
  return []
}
