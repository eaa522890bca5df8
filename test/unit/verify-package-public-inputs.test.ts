import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { parseChallenge } from '../../src/verify-package-public/challenge.js'
import { DEFAULTS, parseInputs, type RawInputs } from '../../src/verify-package-public/inputs.js'

const raw = (over: Partial<RawInputs> = {}): RawInputs => ({
  image: 'ghcr.io/imbit/app',
  token: '',
  timeout: '',
  'fail-on-private': '',
  platforms: '',
  ...over
})

describe('parseInputs', () => {
  it('applies the defaults of action.yml', () => {
    const inputs = parseInputs(raw())
    expect(inputs).toMatchObject({ token: undefined, timeoutMs: 30_000, failOnPrivate: true })
    expect(DEFAULTS.timeout).toBe('30s')
  })

  it('reads a token, a timeout and fail-on-private', () => {
    const inputs = parseInputs(raw({ token: ' ghs_abc ', timeout: '2m', 'fail-on-private': 'false' }))
    expect(inputs).toMatchObject({ token: 'ghs_abc', timeoutMs: 120_000, failOnPrivate: false })
  })

  it.each([
    [{ timeout: 'soon' }, 'timeout'],
    [{ timeout: '0s' }, 'timeout'],
    [{ timeout: '7h' }, 'timeout'],
    [{ 'fail-on-private': 'yes' }, 'fail-on-private'],
    [{ image: '' }, 'image']
  ])('refuses %j, naming the input', (over, input) => {
    expect(() => parseInputs(raw(over))).toThrow(UserError)
    try {
      parseInputs(raw(over))
    } catch (error) {
      expect((error as UserError).input).toBe(input)
    }
  })
})

describe('parseChallenge', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:imbit/app:pull"'
      )
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:imbit/app:pull' }
    })
  })

  it('accepts spaces, unquoted values, escapes and any case', () => {
    expect(parseChallenge('BEARER Realm = "https://a/t" , service=reg, error="x\\"y"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://a/t', service: 'reg', error: 'x"y' }
    })
  })

  it('reads a Basic challenge and nothing at all', () => {
    expect(parseChallenge('Basic realm="Registry"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry' }
    })
    expect(parseChallenge(null)).toBeUndefined()
    expect(parseChallenge('  ')).toBeUndefined()
  })
})
