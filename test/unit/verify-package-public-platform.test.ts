/** The platform check of verify-package-public (issue 9, point 7): the input, the match, and the verdict. */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import type { ApiResult } from '../../src/verify-package-public/packages.js'
import {
  missingPlatforms,
  parsePlatforms,
  type ImagePlatforms,
  type Platform
} from '../../src/verify-package-public/platform.js'
import { parseReference } from '../../src/verify-package-public/reference.js'
import { decide } from '../../src/verify-package-public/verdict.js'

const linux = (architecture: string, variant?: string): Platform =>
  variant ? { os: 'linux', architecture, variant } : { os: 'linux', architecture }

describe('parsePlatforms', () => {
  it('defaults to linux/amd64', () => {
    expect(parsePlatforms('')).toEqual([linux('amd64')])
  })

  it('reads comma- and newline-separated os/arch[/variant], lower-cased, duplicates dropped', () => {
    expect(parsePlatforms('linux/amd64, Linux/ARM64\nlinux/arm/v7\nlinux/amd64')).toEqual([
      linux('amd64'),
      linux('arm64'),
      linux('arm', 'v7')
    ])
  })

  it.each(['amd64', 'linux/', 'linux/amd64/v2/x', 'linux amd64', 'linux/am d64', ',,'])(
    'refuses %j, naming the input and the form',
    value => {
      expect(() => parsePlatforms(value)).toThrow(UserError)
      try {
        parsePlatforms(value)
      } catch (error) {
        expect((error as UserError).input).toBe('platforms')
        expect((error as UserError).message).toContain('linux/amd64')
      }
    }
  )
})

describe('missingPlatforms', () => {
  it('finds each wanted platform by os and architecture', () => {
    expect(missingPlatforms([linux('amd64')], [linux('amd64'), linux('arm64')])).toEqual([])
    expect(missingPlatforms([linux('amd64'), linux('arm64')], [linux('amd64')])).toEqual([linux('arm64')])
    expect(missingPlatforms([linux('amd64')], [{ os: 'windows', architecture: 'amd64' }])).toEqual([
      linux('amd64')
    ])
  })

  it('checks the variant only when one is wanted; arm64 without a variant is v8', () => {
    expect(missingPlatforms([linux('arm64')], [linux('arm64', 'v8')])).toEqual([])
    expect(missingPlatforms([linux('arm64', 'v8')], [linux('arm64')])).toEqual([])
    expect(missingPlatforms([linux('arm', 'v7')], [linux('arm', 'v6')])).toEqual([linux('arm', 'v7')])
  })
})

describe('decide, with platforms', () => {
  const image = parseReference('ghcr.io/imbit/app:v1')
  const api: ApiResult = { kind: 'found', visibility: 'public', ownerType: 'orgs' }
  const run = (platforms: ImagePlatforms | undefined, wanted: Platform[]) =>
    decide({
      image,
      pull: { kind: 'pullable', digest: 'sha256:abc', platforms },
      api,
      failOnPrivate: true,
      serverUrl: 'https://github.com',
      platforms: wanted
    })

  it('an index with every wanted platform: ok, and says what it holds', () => {
    const v = run({ kind: 'index', platforms: [linux('amd64'), linux('arm64')] }, [linux('arm64')])
    expect(v).toMatchObject({ outcome: 'pullable', level: 'ok', pullable: true })
    expect(v.platforms).toBe('linux/amd64, linux/arm64 (manifest list)')
  })

  it('an index without a wanted platform: an error naming what it holds and the build input', () => {
    const v = run({ kind: 'index', platforms: [linux('amd64')] }, [linux('amd64'), linux('arm64')])
    expect(v).toMatchObject({
      outcome: 'platform-missing',
      level: 'error',
      pullable: true,
      digest: 'sha256:abc'
    })
    expect(v.message).toContain('has no linux/arm64 image: its manifest list holds linux/amd64')
    expect(v.message).toContain("reusable workflow's `platforms` build input")
    expect(v.message).toContain('platforms: linux/amd64,linux/arm64')
  })

  it('a single manifest for arm64 when amd64 is wanted: an error', () => {
    const v = run({ kind: 'manifest', platforms: [linux('arm64')] }, [linux('amd64')])
    expect(v.level).toBe('error')
    expect(v.message).toContain('has no linux/amd64 image: it is a single-platform image for linux/arm64')
    expect(v.platforms).toBe('linux/arm64 (single-platform image)')
  })

  it('a platform that could not be read: a warning, not a failure', () => {
    const v = run({ kind: 'unknown', reason: 'the registry answered 404 for the image config' }, [
      linux('amd64')
    ])
    expect(v.level).toBe('ok')
    expect(v.warnings.join('\n')).toContain('linux/amd64 was not checked')
  })

  it('no platforms read (an older caller): not checked', () => {
    expect(run(undefined, [linux('amd64')]).level).toBe('ok')
  })
})
