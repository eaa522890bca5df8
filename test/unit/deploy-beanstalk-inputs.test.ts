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
  it.each([
    ['environment-name', 'env'],
    ['environment-name', '-BrillianCRM'],
    ['environment-name', 'BrillianCRM-'],
    ['environment-name', 'Brillian_CRM'],
    ['environment-name', 'x'.repeat(41)],
    ['application-name', 'a'.repeat(101)],
    ['version-label', 'v'.repeat(101)],
    ['version-label', 'a/b'],
    ['timeout', 'soon'],
    ['wait', 'yes'],
    ['dry-run', '1'],
    ['rollback-on-failure', 'maybe'],
    ['required-health', 'Red'],
    ['bucket', 'My_Bucket']
  ] as Array<[keyof RawInputs, string]>)('rejects %s = %s', (name, value) => {
    expect(inputOf(() => parseInputs(raw({ [name]: value }), env))).toBe(name)
  })
  it('requires the names', () => {
    expect(inputOf(() => parseInputs(raw({ 'application-name': '' }), env))).toBe('application-name')
    expect(inputOf(() => parseInputs(raw({ 'environment-name': '' }), env))).toBe('environment-name')
  })
  it('keeps bundle exclusive with compose-file, image and include', () => {
    for (const name of ['compose-file', 'image', 'include'] as const) {
      expect(inputOf(() => parseInputs(raw({ bundle: 'app.zip', [name]: 'x' }), env))).toBe('bundle')
    }
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
