import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { UserError } from '../../src/common/errors.js'
import { BEANSTALK_MAX_BUNDLE_BYTES, checkBundleSize } from '../../src/deploy-beanstalk/bundle/index.js'
import { pinComposeImage } from '../../src/deploy-beanstalk/bundle/compose.js'
import { defaultVersionLabel } from '../../src/deploy-beanstalk/versions/label.js'

const fixture = (name: string): string => readFileSync(`test/fixtures/compose/${name}`, 'utf8')
const images = (yaml: string): Record<string, unknown> => {
  const services = (parse(yaml, { merge: true }) as { services: Record<string, { image?: string }> }).services
  return Object.fromEntries(Object.entries(services).map(([k, v]) => [k, v.image]))
}
function bundleError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

describe('pinComposeImage', () => {
  it('pins tag and digest forms of the same repository, keeps comments, leaves others alone', () => {
    const to = 'ghcr.io/imbit/brilliancrm:abc1234'
    const result = pinComposeImage(fixture('ghcr.yml'), to)
    expect(result.pinned.map(p => p.service)).toEqual(['web', 'worker'])
    expect(result.pinned[0]?.from).toBe('ghcr.io/imbit/brilliancrm:latest')
    expect(images(result.yaml)).toEqual({ web: to, worker: to, db: 'postgres:16', builder: undefined })
    expect(result.yaml).toContain('# BrillianCRM on Beanstalk')
    expect(result.yaml).toContain('# pinned by the deploy')
    expect(result.yaml).toContain('command: ["node", "worker.js"]')
    expect(result.images).toEqual([
      { service: 'web', image: to },
      { service: 'worker', image: to },
      { service: 'db', image: 'postgres:16' },
      { service: 'builder', image: undefined }
    ])
  })

  it('pins by digest', () => {
    const to = 'ghcr.io/imbit/brilliancrm@sha256:' + 'f'.repeat(64)
    expect(images(pinComposeImage(fixture('ghcr.yml'), to).yaml).web).toBe(to)
  })

  it('handles merge keys without touching the anchor or other services', () => {
    const to = 'ghcr.io/imbit/brilliancrm:new'
    const result = pinComposeImage(fixture('anchors.yml'), to)
    expect(result.pinned.map(p => p.service)).toEqual(['web', 'worker'])
    const doc = parse(result.yaml, { merge: true }) as {
      'x-app': { image: string }
      services: Record<string, { image: string; restart?: string; command?: string }>
    }
    expect(doc.services.web?.image).toBe(to)
    expect(doc.services.web?.restart).toBe('always')
    expect(doc.services.worker?.command).toBe('worker')
    expect(doc.services.cache?.image).toBe('redis:7')
    expect(result.yaml).toContain('<<: *app')
  })

  it('changes an aliased image scalar in place so every alias follows', () => {
    const yaml = 'services:\n  a:\n    image: &img ghcr.io/imbit/x:1\n  b:\n    image: *img\n'
    const result = pinComposeImage(yaml, 'ghcr.io/imbit/x:2')
    expect(images(result.yaml)).toEqual({ a: 'ghcr.io/imbit/x:2', b: 'ghcr.io/imbit/x:2' })
    expect(result.yaml).toContain('&img')
  })

  it('pins a service that aliases another service, and refuses an alias of a non-service node', () => {
    const yaml = 'services:\n  web: &web\n    image: ghcr.io/imbit/x:1\n  copy: *web\n'
    const result = pinComposeImage(yaml, 'ghcr.io/imbit/x:2')
    expect(result.pinned.map(p => p.service)).toEqual(['web', 'copy'])
    expect(images(result.yaml)).toEqual({ web: 'ghcr.io/imbit/x:2', copy: 'ghcr.io/imbit/x:2' })
    const first = 'x-base: &base\n  image: ghcr.io/imbit/x:1\nservices:\n  copy: *base\n'
    const error = bundleError(() => pinComposeImage(first, 'ghcr.io/imbit/x:2'))
    expect(error.input).toBe('compose-file')
    expect(error.message).toMatch(/'copy' is an alias/)
  })

  it('matches registries with ports and docker hub short names', () => {
    const f = fixture('registry-port.yml')
    expect(images(pinComposeImage(f, '127.0.0.1:5000/imbit/app:2').yaml).app).toBe(
      '127.0.0.1:5000/imbit/app:2'
    )
    const hub = pinComposeImage(f, 'docker.io/library/nginx:1.27')
    expect(hub.pinned).toEqual([{ service: 'hub', from: 'nginx', to: 'docker.io/library/nginx:1.27' }])
  })

  it('lists the images found (and build-only services) when none matches', () => {
    const error = bundleError(() => pinComposeImage(fixture('ghcr.yml'), 'ghcr.io/imbit/other:1'))
    expect(error.input).toBe('image')
    expect(error.message).toContain('ghcr.io/imbit/other:1')
    expect(error.message).toContain('db: postgres:16')
    expect(error.message).toContain('web: ghcr.io/imbit/brilliancrm:latest')
    expect(error.message).toContain('builder (build only, no image)')
    expect(error.message).toMatch(/must match one of them/)
  })

  it('ignores interpolated images it cannot parse instead of failing on them', () => {
    const yaml = 'services:\n  a:\n    image: ${REGISTRY}/app:${TAG}\n  b:\n    image: ghcr.io/imbit/b:1\n'
    expect(images(pinComposeImage(yaml, 'ghcr.io/imbit/b:2').yaml)).toEqual({
      a: '${REGISTRY}/app:${TAG}',
      b: 'ghcr.io/imbit/b:2'
    })
  })

  it('says which images in the file are not valid references', () => {
    const yaml = 'services:\n  a:\n    image: ghcr.io/Imbit/App:1\n  b:\n    image: ${REG}/b\n'
    const error = bundleError(() => pinComposeImage(yaml, 'ghcr.io/imbit/app:2'))
    expect(error.message).toMatch(/a: ghcr\.io\/Imbit\/App:1 \(not a valid reference: .*lower case\)/)
    expect(error.message).toContain('b: ${REG}/b (uses variables: not pinned)')
  })

  it('refuses files with several YAML documents', () => {
    const error = bundleError(() => pinComposeImage('services:\n  a:\n    image: x\n---\nb: 1\n', 'x'))
    expect(error.input).toBe('compose-file')
    expect(error.message).toMatch(/not valid YAML at line 4/)
  })

  it('rejects upper-case image refs for input image', () => {
    const error = bundleError(() => pinComposeImage(fixture('ghcr.yml'), 'ghcr.io/Imbit/BrillianCRM:1'))
    expect(error.input).toBe('image')
    expect(error.message).toMatch(/lower case/)
  })

  it('reports invalid YAML with its line', () => {
    const error = bundleError(() =>
      pinComposeImage('services:\n  web:\n    image: [x\n', 'nginx', 'deploy/compose.yml')
    )
    expect(error.input).toBe('compose-file')
    expect(error.message).toMatch(/deploy\/compose\.yml is not valid YAML at line \d+/)
  })

  it.each(['version: "3"\n', '', 'services:\n', 'services: [a]\n', '- a\n'])(
    'requires services: %p',
    yaml => {
      const error = bundleError(() => pinComposeImage(yaml, 'nginx'))
      expect(error.input).toBe('compose-file')
      expect(error.message).toMatch(/no 'services'/)
    }
  )

  it('rejects duplicate keys', () => {
    const error = bundleError(() =>
      pinComposeImage('services:\n  a:\n    image: x\n  a:\n    image: y\n', 'x')
    )
    expect(error.message).toMatch(/line 4/)
  })
})

describe('size and label', () => {
  it('accepts the limit and refuses one byte more, saying what to do', () => {
    expect(() => checkBundleSize(BEANSTALK_MAX_BUNDLE_BYTES, 'include')).not.toThrow()
    try {
      checkBundleSize(BEANSTALK_MAX_BUNDLE_BYTES + 1, 'bundle')
      throw new Error('no error')
    } catch (error) {
      expect(error).toBeInstanceOf(UserError)
      expect((error as UserError).input).toBe('bundle')
      expect((error as Error).message).toMatch(/500\.0 MB.*limit of 500 MB.*524288000 bytes.*Docker image/s)
    }
  })

  it('derives the default label', () => {
    const sha = 'ABCDEF0123456789'
    expect(defaultVersionLabel(sha.toLowerCase(), '0123456789abcdef')).toBe('abcdef0-01234567')
    expect(defaultVersionLabel(undefined, 'ffeeddccbbaa')).toBe('local-ffeeddcc')
    expect(defaultVersionLabel('', 'ffeeddccbbaa')).toBe('local-ffeeddcc')
  })
})
