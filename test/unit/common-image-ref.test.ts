import { describe, expect, it } from '@jest/globals'
import {
  HOST,
  ImageRefError,
  looksLikeHost,
  parseImageRef,
  sameRepository,
  splitImageRef,
  splitTagAndDigest
} from '../../src/common/image-ref.js'

describe('splitTagAndDigest', () => {
  it.each([
    ['ghcr.io/imbit/app', { name: 'ghcr.io/imbit/app' }],
    ['ghcr.io/imbit/app:1.2', { name: 'ghcr.io/imbit/app', tag: '1.2' }],
    ['127.0.0.1:5000/imbit/app', { name: '127.0.0.1:5000/imbit/app' }],
    ['127.0.0.1:5000/imbit/app:v1', { name: '127.0.0.1:5000/imbit/app', tag: 'v1' }],
    ['ghcr.io/imbit/app@sha256:abc', { name: 'ghcr.io/imbit/app', digest: 'sha256:abc' }],
    ['ghcr.io/imbit/app:v1@sha256:abc', { name: 'ghcr.io/imbit/app', tag: 'v1', digest: 'sha256:abc' }]
  ])('%s', (ref, parts) => {
    expect(splitTagAndDigest(ref)).toEqual(parts)
  })
})

describe('hosts', () => {
  it('knows a registry host from a first path component', () => {
    expect(looksLikeHost('ghcr.io')).toBe(true)
    expect(looksLikeHost('127.0.0.1:5000')).toBe(true)
    expect(looksLikeHost('LOCALHOST')).toBe(true)
    expect(looksLikeHost('imbit')).toBe(false)
  })
  it('accepts DNS names, IPv6 in brackets and ports; refuses junk', () => {
    for (const host of ['ghcr.io', 'GHCR.io', 'registry-1.docker.io', '[::1]:5000', '127.0.0.1:5000'])
      expect([host, HOST.test(host)]).toEqual([host, true])
    for (const host of ['-bad.io', 'a..b', 'host:port', 'ghcr.io:123456'])
      expect([host, HOST.test(host)]).toEqual([host, false])
  })
})

describe('parseImageRef', () => {
  it.each([
    [
      'ghcr.io/imbit/brilliancrm:latest',
      { registry: 'ghcr.io', repository: 'imbit/brilliancrm', tag: 'latest' }
    ],
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis' }],
    ['index.docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['127.0.0.1:5000/imbit/app:1', { registry: '127.0.0.1:5000', repository: 'imbit/app', tag: '1' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['GHCR.io/imbit/app', { registry: 'ghcr.io', repository: 'imbit/app' }],
    [
      'ghcr.io/imbit/app:v1@sha256:' + 'a'.repeat(64),
      { registry: 'ghcr.io', repository: 'imbit/app', tag: 'v1', digest: 'sha256:' + 'a'.repeat(64) }
    ]
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected)
  })

  it.each([
    ['', /empty/],
    ['ghcr.io/Imbit/BrillianCRM:latest', /lower case/],
    ['https://ghcr.io/imbit/app', /scheme/],
    ['ghcr.io/imbit/app:bad tag', /spaces/],
    ['ghcr.io/imbit/app@sha256:xyz', /digest/],
    ['ghcr.io//app', /empty path/],
    ['ghcr.io/imbit/app:-x', /tag/],
    ['ghcr.io/imbit/a..b', /component/]
  ])('rejects %p', (ref, message) => {
    expect(() => parseImageRef(ref)).toThrow(message)
  })

  it('compares repositories, not tags or digests', () => {
    const p = parseImageRef
    expect(sameRepository(p('nginx'), p('docker.io/library/nginx:1'))).toBe(true)
    expect(sameRepository(p('index.docker.io/library/nginx'), p('nginx@sha256:' + 'b'.repeat(64)))).toBe(true)
    expect(sameRepository(p('ghcr.io/imbit/app:1'), p('ghcr.io/imbit/app:2'))).toBe(true)
    expect(sameRepository(p('ghcr.io/imbit/app'), p('ghcr.io/other/app'))).toBe(false)
    expect(sameRepository(p('ghcr.io/imbit/app'), p('docker.io/imbit/app'))).toBe(false)
    expect(sameRepository(p('127.0.0.1:5000/imbit/app'), p('127.0.0.1:5001/imbit/app'))).toBe(false)
  })
})

describe('ImageRefError', () => {
  it.each([
    ['', 'empty', undefined],
    ['ghcr.io/imbit/app:bad tag', 'spaces', undefined],
    ['https://ghcr.io/imbit/app', 'scheme', 'ghcr.io/imbit/app'],
    ['ghcr.io/imbit/app@sha256:xyz', 'digest', 'sha256:xyz'],
    ['ghcr.io/imbit/app:-x', 'tag', '-x'],
    ['bad_host.io/imbit/app', 'host', 'bad_host.io'],
    ['ghcr.io//app', 'empty-component', undefined],
    ['ghcr.io/Imbit/app', 'upper-case', 'Imbit'],
    ['ghcr.io/imbit/a..b', 'component', 'a..b']
  ])('%j: problem %s, part %j', (ref, problem, part) => {
    try {
      parseImageRef(ref)
    } catch (error) {
      expect(error).toBeInstanceOf(ImageRefError)
      expect([(error as ImageRefError).problem, (error as ImageRefError).part]).toEqual([problem, part])
      return
    }
    throw new Error(`"${ref}" was accepted`)
  })
})

describe('splitImageRef', () => {
  it('names a host only in front of a path', () => {
    expect(splitImageRef('127.0.0.1:5000/imbit/app:v1@sha256:ab')).toEqual({
      host: '127.0.0.1:5000',
      path: 'imbit/app',
      tag: 'v1',
      digest: 'sha256:ab'
    })
    expect(splitImageRef('imbit/app')).toEqual({ path: 'imbit/app' })
    expect(splitImageRef('ghcr.io')).toEqual({ path: 'ghcr.io' })
  })
})
