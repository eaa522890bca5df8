import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { isGhcrLike, parseReference, registryBaseUrl } from '../../src/verify-package-public/reference.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

/** The message of the UserError `parseReference` throws for this value. */
function refusal(value: string): string {
  try {
    parseReference(value)
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).input).toBe('image')
    return (error as UserError).message
  }
  throw new Error(`"${value}" was accepted`)
}

describe('parseReference', () => {
  it('parses a GHCR reference, tag default latest', () => {
    expect(parseReference('ghcr.io/imbit/brilliancrm')).toEqual({
      registry: 'ghcr.io',
      hostname: 'ghcr.io',
      endpoint: 'ghcr.io',
      repository: 'imbit/brilliancrm',
      owner: 'imbit',
      name: 'brilliancrm',
      tag: 'latest',
      digest: undefined,
      reference: 'latest',
      display: 'ghcr.io/imbit/brilliancrm:latest',
      loopback: false
    })
  })

  it('keeps a tag, with upper-case letters allowed in tags', () => {
    const ref = parseReference('ghcr.io/imbit/app:Sha-1a2B3c.4_5-6')
    expect([ref.tag, ref.reference]).toEqual(['Sha-1a2B3c.4_5-6', 'Sha-1a2B3c.4_5-6'])
  })

  it('pins by digest; a tag beside it is kept for display, the digest is what is pulled', () => {
    expect(parseReference(`ghcr.io/imbit/app@${DIGEST}`)).toMatchObject({
      tag: undefined,
      digest: DIGEST,
      reference: DIGEST,
      display: `ghcr.io/imbit/app@${DIGEST}`
    })
    expect(parseReference(`ghcr.io/imbit/app:v1@${DIGEST}`)).toMatchObject({
      tag: 'v1',
      reference: DIGEST,
      display: `ghcr.io/imbit/app:v1@${DIGEST}`
    })
  })

  it('nested names: the owner is the first component, the package name the rest', () => {
    expect(parseReference('ghcr.io/imbit/tools/cli:1.0')).toMatchObject({
      repository: 'imbit/tools/cli',
      owner: 'imbit',
      name: 'tools/cli'
    })
  })

  it('allows a registry host with a port, and loopback hosts over plain HTTP', () => {
    const local = parseReference('127.0.0.1:5000/imbit/app:v1')
    expect(local).toMatchObject({
      registry: '127.0.0.1:5000',
      hostname: '127.0.0.1',
      loopback: true,
      tag: 'v1'
    })
    expect(registryBaseUrl(local)).toBe('http://127.0.0.1:5000')
    expect(parseReference('localhost:5000/imbit/app').loopback).toBe(true)
    const v6 = parseReference('[::1]:5000/imbit/app')
    expect([v6.hostname, v6.loopback, registryBaseUrl(v6)]).toEqual(['::1', true, 'http://[::1]:5000'])
    expect(isGhcrLike(v6)).toBe(true)
  })

  it('speaks HTTPS to every other host, and knows which are GHCR', () => {
    const ghcr = parseReference('ghcr.io/imbit/app')
    expect([registryBaseUrl(ghcr), isGhcrLike(ghcr)]).toEqual(['https://ghcr.io', true])
    const other = parseReference('registry.example.com:8443/app:v1')
    expect(other).toMatchObject({ registry: 'registry.example.com:8443', owner: undefined, name: 'app' })
    expect([registryBaseUrl(other), isGhcrLike(other)]).toEqual(['https://registry.example.com:8443', false])
    // A host that merely contains "127.0.0.1" is not loopback.
    expect(parseReference('127.0.0.1.nip.io/imbit/app').loopback).toBe(false)
  })

  it('Docker Hub: its names are served by registry-1.docker.io, official images under library/', () => {
    const official = parseReference('docker.io/nginx:1.27')
    expect(official).toMatchObject({
      registry: 'docker.io',
      endpoint: 'registry-1.docker.io',
      repository: 'library/nginx',
      display: 'docker.io/nginx:1.27'
    })
    expect([registryBaseUrl(official), isGhcrLike(official)]).toEqual(['https://registry-1.docker.io', false])
    expect(parseReference('index.docker.io/bitnami/redis')).toMatchObject({
      endpoint: 'registry-1.docker.io',
      repository: 'bitnami/redis'
    })
    // Every other registry is spoken to at the host written.
    expect(parseReference('ghcr.io/imbit/app').endpoint).toBe('ghcr.io')
    expect(parseReference('127.0.0.1:5000/imbit/app').endpoint).toBe('127.0.0.1:5000')
  })

  it('trims surrounding whitespace', () => {
    expect(parseReference('  ghcr.io/imbit/app:v1\n').display).toBe('ghcr.io/imbit/app:v1')
  })

  it.each([
    ['', "Input 'image' is empty: it is required"],
    ['ghcr.io/imbit', 'it has no package name'],
    ['ghcr.io/', 'it has no package name'],
    ['ghcr.io', 'it has no package name'],
    ['registry.example.com', 'it has no image name'],
    ['ghcr.io/Imbit/BrillianCRM:V1', 'must be lower case: use "ghcr.io/imbit/brilliancrm:V1"'],
    ['GHCR.IO/imbit/app', 'must be lower case: use "ghcr.io/imbit/app"'],
    [
      `ghcr.io/imbit/app@sha256:${'A'.repeat(64)}`,
      `must be lower case: use "ghcr.io/imbit/app@sha256:${'a'.repeat(64)}"`
    ],
    ['ghcr.io/imbit/app:v1+build', 'the tag "v1+build" is not valid'],
    ['ghcr.io/imbit/app:.hidden', 'the tag ".hidden" is not valid'],
    [`ghcr.io/imbit/app:${'x'.repeat(129)}`, 'is not valid: up to 128'],
    ['ghcr.io/imbit/app:', 'the tag after ":" is empty'],
    [
      'ghcr.io/imbit/app@sha256:abc123',
      'the digest has 6 hex digits after "sha256:"; a sha256 digest has 64'
    ],
    [`ghcr.io/imbit/app@sha256:${'a'.repeat(65)}`, 'has 65 hex digits'],
    ['ghcr.io/imbit/app@md5:abc', 'the digest must have the form sha256:<64 hex digits>'],
    ['ghcr.io/imbit/app@', 'the digest must have the form'],
    ['ghcr.io/imbit//app', 'empty path component'],
    ['ghcr.io/imbit/app/', 'empty path component'],
    ['ghcr.io/imbit/-app', '"-app" is not a valid name component'],
    ['ghcr.io/imbit/my app', 'without spaces'],
    ['imbit/brilliancrm:v1', 'use "ghcr.io/imbit/brilliancrm:v1"'],
    ['https://ghcr.io/imbit/app', 'without a scheme: use "ghcr.io/imbit/app"'],
    ['docker://ghcr.io/imbit/app', 'without a scheme: use "ghcr.io/imbit/app"'],
    ['bad_host.io/imbit/app', 'is not a registry host name']
  ])('refuses %j: %s', (value, expected) => {
    expect(refusal(value)).toContain(expected)
  })
})

describe('a reference without a registry (issue 9, point 7)', () => {
  it('a bare name is a Docker Hub official image: suggested as docker.io/library/NAME, never ghcr.io/NAME', () => {
    const message = refusal('nginx')
    expect(message).toContain('"docker.io/library/nginx"')
    expect(message).toContain('"ghcr.io/<owner>/nginx"')
    expect(message).not.toContain('"ghcr.io/nginx"')
  })

  it('owner/name: ghcr.io/owner/name, or docker.io/owner/name on Docker Hub', () => {
    const message = refusal('imbit/brilliancrm')
    expect(message).toContain('"ghcr.io/imbit/brilliancrm"')
    expect(message).toContain('"docker.io/imbit/brilliancrm"')
  })
})
