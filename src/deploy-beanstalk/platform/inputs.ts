import { inputError } from '../../common/errors.js'
import { parsePlatformArn, parseSolutionStack, type PlatformArnParts } from './versions.js'

/**
 * Input `platform`: what the environment's platform should be after the deploy. Pure.
 * - empty: leave it as it is;
 * - `latest`: the newest Ready version of the environment's own branch (never another branch);
 * - a platform ARN, or a solution stack name: that version (another branch only this way).
 */
export type PlatformInput =
  | { kind: 'keep' }
  | { kind: 'latest' }
  | { kind: 'arn'; value: string; parts: PlatformArnParts }
  | { kind: 'stack'; value: string; branch: string; version: string }

export const PLATFORM_EXAMPLES = {
  arn: 'arn:aws:elasticbeanstalk:eu-central-1::platform/Docker running on 64bit Amazon Linux 2023/4.4.0',
  stack: '64bit Amazon Linux 2023 v4.4.0 running Docker'
}

export function parsePlatformInput(raw: string): PlatformInput {
  const value = raw.trim()
  if (value === '') return { kind: 'keep' }
  if (value.toLowerCase() === 'latest') return { kind: 'latest' }
  const expected = `expected latest (the newest version of the environment's own platform branch), a platform ARN such as "${PLATFORM_EXAMPLES.arn}", or a solution stack name such as "${PLATFORM_EXAMPLES.stack}"; or leave it empty to keep the platform.`
  if (value.startsWith('arn:')) {
    const parts = parsePlatformArn(value)
    if (!parts) throw inputError('platform', value, `it is not a platform ARN: ${expected}`)
    return { kind: 'arn', value, parts }
  }
  const stack = parseSolutionStack(value)
  if (!stack) {
    const branchOnly = /^(.+) running on 64bit (.+)$/.exec(value)
    throw inputError(
      'platform',
      value,
      branchOnly
        ? `that is a platform branch, not a version: name one of its versions by its solution stack name, such as "64bit ${branchOnly[2]} v<version> running ${branchOnly[1]}", or its ARN. (${expected})`
        : expected
    )
  }
  return { kind: 'stack', value, ...stack }
}
