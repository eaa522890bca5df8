import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import {
  INPUT_NAMES,
  parseInputs,
  truncateDescription,
  type RawInputs
} from '../../src/deploy-beanstalk/inputs.js'

const raw = (over: Partial<RawInputs> = {}): RawInputs => ({
  ...(Object.fromEntries(INPUT_NAMES.map(n => [n, ''])) as RawInputs),
  'application-name': 'BrillianCRM',
  'environment-name': 'BrillianCRM-env',
  ...over
})
const env = { AWS_REGION: 'eu-central-1' }

function inputOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return (error as UserError).input
  }
  throw new Error('expected a UserError')
}

describe('deploy-beanstalk inputs', () => {
  it('applies the defaults', () => {
    const inputs = parseInputs(raw(), env)
    expect(inputs).toMatchObject({
      application: 'BrillianCRM',
      environment: 'BrillianCRM-env',
      region: 'eu-central-1',
      source: {
        kind: 'compose',
        composeFile: 'docker-compose.yml',
        include: ['.ebextensions', '.platform'],
        includeExplicit: false
      },
      wait: true,
      timeoutMs: 20 * 60_000,
      requiredHealth: 'Green',
      rollbackOnFailure: false,
      dryRun: false
    })
    expect(inputs.versionLabel).toBeUndefined()
    expect(inputs.bucket).toBeUndefined()
  })
  it('takes the region from the input, AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(parseInputs(raw({ region: 'eu-west-1' }), env).region).toBe('eu-west-1')
    expect(parseInputs(raw(), { AWS_DEFAULT_REGION: 'us-east-1' }).region).toBe('us-east-1')
    expect(inputOf(() => parseInputs(raw(), {}))).toBe('region')
  })
  const ENV_FORM =
    '4 to 40 letters, digits and hyphens, not starting or ending with a hyphen, such as BrillianCRM-env'
  it.each([
    [
      'environment-name',
      'env',
      `Input 'environment-name' is "env": expected ${ENV_FORM} (it has 3 characters).`
    ],
    ['environment-name', '-BrillianCRM', `Input 'environment-name' is "-BrillianCRM": expected ${ENV_FORM}.`],
    ['environment-name', 'BrillianCRM-', `Input 'environment-name' is "BrillianCRM-": expected ${ENV_FORM}.`],
    ['environment-name', 'Brillian_CRM', `Input 'environment-name' is "Brillian_CRM": expected ${ENV_FORM}.`],
    [
      'environment-name',
      'x'.repeat(41),
      `Input 'environment-name' is "${'x'.repeat(41)}": expected ${ENV_FORM} (it has 41 characters).`
    ],
    [
      'application-name',
      'a'.repeat(101),
      `Input 'application-name' is "${'a'.repeat(101)}": expected at most 100 characters (it has 101).`
    ],
    [
      'version-label',
      'v'.repeat(101),
      `Input 'version-label' is "${'v'.repeat(101)}": expected at most 100 characters (it has 101).`
    ],
    [
      'version-label',
      'a/b',
      `Input 'version-label' is "a/b": expected no slashes, backslashes or control characters (it is part of the S3 key).`
    ],
    [
      'timeout',
      'soon',
      `Input 'timeout' is "soon": expected a duration such as 90s, 15m, 1h, 1h30m or a number of seconds (e.g. 600).`
    ],
    ['wait', 'yes', `Input 'wait' is "yes": expected true or false.`],
    ['dry-run', '1', `Input 'dry-run' is "1": expected true or false.`],
    ['require-existing-version', 'yes', `Input 'require-existing-version' is "yes": expected true or false.`],
    [
      'require-existing-version',
      'true',
      "Input 'require-existing-version' is true but 'version-label' is empty: set version-label to the existing version to redeploy, or set require-existing-version to false."
    ],
    ['rollback-on-failure', 'maybe', `Input 'rollback-on-failure' is "maybe": expected true or false.`],
    ['required-health', 'Red', `Input 'required-health' is "Red": expected Green or Yellow.`],
    [
      'bucket',
      'My_Bucket',
      `Input 'bucket' is "My_Bucket": expected an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens), or leave it empty to use Beanstalk's own storage bucket.`
    ],
    [
      'application-name',
      '',
      `Input 'application-name' is empty: it is required: the Beanstalk application, such as BrillianCRM.`
    ],
    ['environment-name', '', `Input 'environment-name' is empty: it is required: ${ENV_FORM}.`],
    [
      'bundle',
      'app.tar',
      `Input 'bundle' is "app.tar": expected the path of a .zip file (relative to the workspace).`
    ]
  ] as Array<[keyof RawInputs, string, string]>)(
    'rejects %s = %s with the exact message',
    (name, value, message) => {
      expect(inputOf(() => parseInputs(raw({ [name]: value }), env))).toBe(name)
      expect(() => parseInputs(raw({ [name]: value }), env)).toThrow(message)
    }
  )
  it('require-existing-version: a redeploy of version-label, with nothing to build from', () => {
    expect(parseInputs(raw(), env).requireExistingVersion).toBe(false)
    const redeploy = parseInputs(
      raw({
        'require-existing-version': 'true',
        'version-label': 'v7',
        'compose-file': 'docker-compose.yml'
      }),
      env
    )
    expect(redeploy).toMatchObject({ requireExistingVersion: true, versionLabel: 'v7' })
    expect(
      parseInputs(raw({ 'require-existing-version': 'False', 'version-label': 'v7' }), env)
    ).toMatchObject({
      requireExistingVersion: false
    })
    const withImage = raw({
      'require-existing-version': 'true',
      'version-label': 'v7',
      image: 'ghcr.io/imbit/brilliancrm:abc'
    })
    expect(inputOf(() => parseInputs(withImage, env))).toBe('require-existing-version')
    expect(() => parseInputs(withImage, env)).toThrow(
      `Input 'require-existing-version' is true, so version "v7" is redeployed as it is, but 'image' asks for a new bundle: remove it, or set require-existing-version to false.`
    )
    expect(() =>
      parseInputs(raw({ 'require-existing-version': 'true', 'version-label': 'v7', bundle: 'app.zip' }), env)
    ).toThrow(
      `Input 'require-existing-version' is true, so version "v7" is redeployed as it is, but 'bundle' asks for a new bundle: remove it, or set require-existing-version to false.`
    )
  })
  it('names the region fix when no region is set anywhere', () => {
    expect(() => parseInputs(raw(), {})).toThrow(
      "Input 'region' is empty: no region is set. Set the `region` input (IMBIT uses eu-central-1), or AWS_REGION, e.g. through aws-actions/configure-aws-credentials."
    )
  })
  it('keeps bundle exclusive with compose-file, image and include', () => {
    for (const name of ['compose-file', 'image', 'include'] as const) {
      expect(inputOf(() => parseInputs(raw({ bundle: 'app.zip', [name]: 'x' }), env))).toBe('bundle')
    }
    expect(() => parseInputs(raw({ bundle: 'app.zip', image: 'x', include: 'y' }), env)).toThrow(
      `Input 'bundle' ("app.zip") is set together with 'image', 'include': a ready bundle is deployed as it is, so remove those inputs or 'bundle'.`
    )
    expect(parseInputs(raw({ bundle: 'out/app.zip' }), env).source).toEqual({
      kind: 'bundle',
      path: 'out/app.zip'
    })
    expect(inputOf(() => parseInputs(raw({ bundle: 'app.tar' }), env))).toBe('bundle')
  })
  it('parses include lists and case-insensitive health', () => {
    const inputs = parseInputs(
      raw({ include: 'config\n.ebextensions, extra.txt', 'required-health': 'yellow', timeout: '90s' }),
      env
    )
    expect(inputs.source).toMatchObject({
      include: ['config', '.ebextensions', 'extra.txt'],
      includeExplicit: true
    })
    expect(inputs.requiredHealth).toBe('Yellow')
    expect(inputs.timeoutMs).toBe(90_000)
  })
  it('cuts a long description to 200 characters and says so', () => {
    const inputs = parseInputs(raw({ 'version-description': 'é'.repeat(250) }), env)
    expect(Array.from(inputs.versionDescription ?? '')).toHaveLength(200)
    expect(inputs.descriptionTruncated).toBe(true)
    expect(truncateDescription('short')).toEqual({ text: 'short', truncated: false })
  })
})
