import { describe, expect, it } from '@jest/globals'
import { HOST, looksLikeHost, splitTagAndDigest } from '../../src/common/image-ref.js'

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
