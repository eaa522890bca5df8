import { describe, expect, it } from '@jest/globals'
import type { ApiResult } from '../../src/verify-package-public/packages.js'
import { parseReference } from '../../src/verify-package-public/reference.js'
import { decide, type PullVerdict, type VerdictContext } from '../../src/verify-package-public/verdict.js'

const DIGEST = `sha256:${'b'.repeat(64)}`
const image = parseReference('ghcr.io/imbit/brilliancrm:v1')
const ORG_LINK = 'https://github.com/orgs/imbit/packages/container/brilliancrm/settings'
const USER_LINK = 'https://github.com/users/imbit/packages/container/brilliancrm/settings'

const pullable: PullVerdict = { kind: 'pullable', digest: DIGEST }
const denied: PullVerdict = { kind: 'denied', status: 403, detail: 'the registry answered 403 Forbidden' }
const notFound: PullVerdict = {
  kind: 'not-found',
  detail: 'the registry answered 404 Not Found',
  waitedMs: 30_000
}
const found = (
  visibility: 'public' | 'private' | 'internal',
  ownerType: 'orgs' | 'users' = 'orgs'
): ApiResult => ({
  kind: 'found',
  visibility,
  ownerType
})
const refused: ApiResult = { kind: 'refused', status: 403, message: 'Resource not accessible by integration' }
const unavailable: ApiResult = { kind: 'unavailable', reason: 'no `token` was given' }

function verdict(pull: PullVerdict, api: ApiResult, extra: Partial<VerdictContext> = {}) {
  return decide({ image, pull, api, failOnPrivate: true, serverUrl: 'https://github.com', ...extra })
}

describe('decide', () => {
  it('pullable + public: ok, the digest, visibility public', () => {
    const v = verdict(pullable, found('public'))
    expect(v).toMatchObject({
      visibility: 'public',
      pullable: true,
      digest: DIGEST,
      outcome: 'pullable',
      level: 'ok'
    })
    expect(v.warnings).toEqual([])
    expect(v.message).toContain('can be pulled without credentials')
  })

  it('pullable with no API answer: public, inferred from the anonymous pull', () => {
    expect(verdict(pullable, unavailable)).toMatchObject({ visibility: 'public', level: 'ok' })
  })

  it('pullable although the API says private: the pull decides, with a warning', () => {
    const v = verdict(pullable, found('private'))
    expect(v).toMatchObject({ visibility: 'private', pullable: true, level: 'ok' })
    expect(v.warnings.join()).toContain('yet an anonymous pull worked')
  })

  it('API refused the token: a warning naming packages: read, the pull verdict stands', () => {
    const v = verdict(pullable, refused)
    expect(v.level).toBe('ok')
    expect(v.warnings).toHaveLength(1)
    expect(v.warnings[0]).toContain('refused the token (403: Resource not accessible by integration)')
    expect(v.warnings[0]).toContain('packages: read')
  })

  it('denied + private (organisation): error with the org settings link, why, and that the API cannot change it', () => {
    const v = verdict(denied, found('private'))
    expect(v).toMatchObject({
      visibility: 'private',
      pullable: false,
      digest: '',
      outcome: 'not-pullable',
      level: 'error'
    })
    expect(v.message).toContain('ghcr.io/imbit/brilliancrm:v1 is private')
    expect(v.message).toContain('Elastic Beanstalk pulls images without credentials')
    expect(v.message).toContain(`Make it public at ${ORG_LINK}.`)
    expect(v.message).toContain('cannot be changed through the API')
    expect(v.settingsUrl).toBe(ORG_LINK)
  })

  it('denied + private (user): the /users/ link, on the server of GITHUB_SERVER_URL', () => {
    const v = verdict(denied, found('private', 'users'), { serverUrl: 'https://ghe.example.com/' })
    expect(v.settingsUrl).toBe('https://ghe.example.com/users/imbit/packages/container/brilliancrm/settings')
    expect(v.message).toContain(v.settingsUrl)
  })

  it('denied + internal: error, visibility internal', () => {
    const v = verdict(denied, found('internal'))
    expect(v).toMatchObject({ visibility: 'internal', level: 'error' })
    expect(v.message).toContain('only members of the enterprise can pull it')
  })

  it('denied with fail-on-private false: a warning, not an error', () => {
    const v = verdict(denied, found('private'), { failOnPrivate: false })
    expect(v.level).toBe('warning')
    expect(v.message).toContain('fail-on-private is false')
  })

  it('denied, visibility unknown: both link forms, visibility unknown', () => {
    const v = verdict(denied, refused)
    expect(v).toMatchObject({ visibility: 'unknown', level: 'error' })
    expect(v.message).toContain(ORG_LINK)
    expect(v.message).toContain(USER_LINK)
    expect(v.message).toContain('the package is private, or does not exist')
  })

  it('denied although the API says public: says so, suggests running again', () => {
    const v = verdict(denied, found('public'))
    expect(v).toMatchObject({ visibility: 'public', pullable: false, level: 'error' })
    expect(v.message).toContain('GitHub reports ghcr.io/imbit/brilliancrm:v1 as public')
  })

  it('denied on another registry: no GitHub link, fix it in that registry', () => {
    const other = parseReference('registry.example.com/team/app:v1')
    const v = verdict(denied, unavailable, { image: other })
    expect(v.settingsUrl).toBeUndefined()
    expect(v.message).toContain("Make the image public in registry.example.com's settings")
    expect(v.message).not.toContain('github.com')
  })

  it('not found: an error naming the reference, the tag and the time spent, whatever fail-on-private says', () => {
    const v = verdict(notFound, found('public'), { failOnPrivate: false })
    expect(v).toMatchObject({
      visibility: 'public',
      pullable: false,
      digest: '',
      outcome: 'not-found',
      level: 'error'
    })
    expect(v.message).toContain('ghcr.io/imbit/brilliancrm:v1 was not found')
    expect(v.message).toContain('no tag "v1"')
    expect(v.message).toContain('kept trying for 30s')
  })

  it('not found, unknown to the API either: says the package itself is missing', () => {
    const v = verdict(notFound, { kind: 'missing' })
    expect(v.visibility).toBe('unknown')
    expect(v.message).toContain('does not know the package imbit/brilliancrm either')
  })

  it('not found by digest: names the digest', () => {
    const pinned = parseReference(`ghcr.io/imbit/brilliancrm@${DIGEST}`)
    expect(verdict(notFound, unavailable, { image: pinned }).message).toContain(`no manifest ${DIGEST}`)
  })

  it('every verdict that is not ok says what is wrong and what to do apart (the summary), and both in its message', () => {
    const other = parseReference('registry.example.com/team/app:v1')
    const cases = [
      verdict(denied, found('private')),
      verdict(denied, found('internal')),
      verdict(denied, refused),
      verdict(denied, unavailable, { image: other }),
      verdict(notFound, found('public')),
      verdict(notFound, { kind: 'missing' })
    ]
    for (const v of cases) {
      expect(v.fix).toEqual(expect.any(String))
      expect(v.reason).not.toContain(v.fix)
      expect(v.message).toBe(`${v.reason} ${v.fix}`)
    }
    // denied although public: the message keeps its order (run again, then why Beanstalk cares); apart all the same
    const publicButDenied = verdict(denied, found('public'))
    expect(publicButDenied.fix).toContain('run this again in a minute')
    expect(publicButDenied.reason).not.toContain('run this again')
    expect(verdict(pullable, unavailable).fix).toBeUndefined()
    const v = verdict(denied, found('private'))
    expect(v.message).toBe(`${v.reason} ${v.fix}`)
    expect(v.fix).toBe(
      `Make it public at ${ORG_LINK}. Visibility cannot be changed through the API, only on that page.`
    )
  })
})
