/**
 * The registry client's branches that the end-to-end servers do not reach, through an injected fetch:
 * a manifest without Docker-Content-Digest, Basic auth, insecure or broken token endpoints, 5xx and timeouts.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import { parseReference } from '../../src/verify-package-public/reference.js'
import {
  checkAnonymousPull,
  ManifestNotFoundError,
  RegistryProtocolError,
  networkReason,
  RegistryUnavailableError,
  type Fetch
} from '../../src/verify-package-public/registry.js'

const image = parseReference('registry.example.com/team/app:v1')
const MANIFEST = '{"schemaVersion":2}'
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`

type Reply = { status: number; headers?: Record<string, string>; body?: string } | Error

/** A fetch that answers from a script, in order, and records what it was asked. */
function scripted(...replies: Reply[]): { fetch: Fetch; calls: Array<{ url: string; init?: RequestInit }> } {
  const calls: Array<{ url: string; init?: RequestInit }> = []
  const fetchStub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init })
    const reply = replies.shift()
    if (!reply) throw new Error(`unexpected request ${String(input)}`)
    if (reply instanceof Error) throw reply
    const nullBody = init?.method === 'HEAD' || reply.status === 204
    return new Response(nullBody ? null : (reply.body ?? ''), {
      status: reply.status,
      headers: reply.headers
    })
  }
  return { fetch: fetchStub as Fetch, calls }
}

// The client logs each request with core.debug (`::debug::` lines on stdout): keep them out of the test output.
let stdout: ReturnType<typeof jest.spyOn> | undefined
beforeAll(() => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => stdout?.mockRestore())

const pull = (fetchStub: Fetch) => checkAnonymousPull(image, { requestTimeoutMs: 1000, fetch: fetchStub })

describe('checkAnonymousPull', () => {
  it('asks Docker Hub at registry-1.docker.io, for library/NAME', async () => {
    const { fetch: f, calls } = scripted(
      {
        status: 401,
        headers: {
          'WWW-Authenticate':
            'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
        }
      },
      { status: 200, body: '{"token":"anon"}' },
      { status: 200, headers: { 'Docker-Content-Digest': DIGEST } }
    )
    const nginx = parseReference('docker.io/nginx')
    await expect(checkAnonymousPull(nginx, { requestTimeoutMs: 1000, fetch: f })).resolves.toMatchObject({
      kind: 'pullable',
      digest: DIGEST
    })
    expect(calls.map(c => c.url)).toEqual([
      'https://registry-1.docker.io/v2/library/nginx/manifests/latest',
      'https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull',
      'https://registry-1.docker.io/v2/library/nginx/manifests/latest'
    ])
  })

  it('speaks HTTPS to a non-loopback registry and follows the Bearer challenge to its realm', async () => {
    const { fetch: f, calls } = scripted(
      {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' }
      },
      { status: 200, body: '{"token":"anon"}' },
      { status: 200, headers: { 'Docker-Content-Digest': DIGEST, 'Content-Type': 'application/json' } }
    )
    await expect(pull(f)).resolves.toEqual({
      kind: 'pullable',
      digest: DIGEST,
      mediaType: 'application/json'
    })
    expect(calls.map(c => c.url)).toEqual([
      'https://registry.example.com/v2/team/app/manifests/v1',
      'https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull',
      'https://registry.example.com/v2/team/app/manifests/v1'
    ])
    expect((calls[2].init?.headers as Record<string, string>).Authorization).toBe('Bearer anon')
  })

  it('hashes the manifest when the registry sends no Docker-Content-Digest', async () => {
    const { fetch: f, calls } = scripted({ status: 200 }, { status: 200, body: MANIFEST })
    await expect(pull(f)).resolves.toMatchObject({ kind: 'pullable', digest: DIGEST })
    expect(calls.map(c => c.init?.method)).toEqual(['HEAD', 'GET'])
  })

  it('a Basic challenge, or none, means not pullable without credentials', async () => {
    await expect(
      pull(scripted({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x"' } }).fetch)
    ).resolves.toEqual({
      kind: 'denied',
      status: 401,
      detail: 'the registry asks for basic credentials'
    })
    await expect(pull(scripted({ status: 401 }).fetch)).resolves.toMatchObject({ kind: 'denied' })
  })

  it('a token endpoint that refuses means denied', async () => {
    const { fetch: f } = scripted(
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token"' } },
      { status: 403, body: '{}' }
    )
    await expect(pull(f)).resolves.toMatchObject({
      kind: 'denied',
      status: 403,
      detail: 'the token endpoint answered 403 to a request for an anonymous pull token'
    })
  })

  it('never asks a token endpoint over plain HTTP off this machine', async () => {
    const { fetch: f, calls } = scripted({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="http://auth.example.com/token"' }
    })
    await expect(pull(f)).rejects.toThrow(RegistryProtocolError)
    expect(calls).toHaveLength(1)
  })

  it('a token answer without a token is a protocol error', async () => {
    const { fetch: f } = scripted(
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token"' } },
      { status: 200, body: '{}' }
    )
    await expect(pull(f)).rejects.toThrow('answered without a token')
  })

  it('404 is not-found (retryable); 5xx, 429 and network faults are unavailable (retryable)', async () => {
    await expect(pull(scripted({ status: 404 }).fetch)).rejects.toThrow(ManifestNotFoundError)
    await expect(pull(scripted({ status: 503 }).fetch)).rejects.toThrow(RegistryUnavailableError)
    await expect(pull(scripted({ status: 429 }).fetch)).rejects.toThrow(RegistryUnavailableError)
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })
    await expect(pull(scripted(reset).fetch)).rejects.toThrow(
      'registry.example.com did not answer: ECONNRESET'
    )
  })

  it('a request that times out is unavailable', async () => {
    const slow = (async (_input: string | URL | Request, init?: RequestInit) =>
      await new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      )) as Fetch
    await expect(checkAnonymousPull(image, { requestTimeoutMs: 50, fetch: slow })).rejects.toThrow(
      'the request timed out'
    )
  })

  it('another status is a protocol error naming it', async () => {
    await expect(pull(scripted({ status: 400 }).fetch)).rejects.toThrow(
      'registry.example.com answered 400 to a manifest request for registry.example.com/team/app:v1.'
    )
  })
})

describe('checkAnonymousPull, reading the platforms', () => {
  const platformsPull = (fetchStub: Fetch) =>
    checkAnonymousPull(image, { requestTimeoutMs: 1000, fetch: fetchStub, readPlatforms: true })
  const CONFIG = `sha256:${'c'.repeat(64)}`
  const single = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { digest: CONFIG }
  })
  const head = { status: 200, headers: { 'Docker-Content-Digest': DIGEST } }

  it('a Docker manifest list: its entries, attestations left out, the variant kept', async () => {
    const list = JSON.stringify({
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:no-platform' }
      ]
    })
    const { fetch: f, calls } = scripted(head, { status: 200, body: list })
    await expect(platformsPull(f)).resolves.toMatchObject({
      digest: DIGEST,
      platforms: { kind: 'index', platforms: [{ os: 'linux', architecture: 'arm', variant: 'v7' }] }
    })
    expect(calls.map(c => c.init?.method)).toEqual(['HEAD', 'GET'])
  })

  it("a single manifest: its config blob's os and architecture, fetched from the same registry", async () => {
    const { fetch: f, calls } = scripted(
      head,
      { status: 200, body: single },
      {
        status: 200,
        body: '{"os":"linux","architecture":"arm64","variant":"v8"}'
      }
    )
    await expect(platformsPull(f)).resolves.toMatchObject({
      platforms: { kind: 'manifest', platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] }
    })
    expect(calls[2].url).toBe(`https://registry.example.com/v2/team/app/blobs/${CONFIG}`)
  })

  it('a config blob refused: the platform is unknown; a 5xx is retried; a garbled manifest too', async () => {
    await expect(
      platformsPull(scripted(head, { status: 200, body: single }, { status: 404 }).fetch)
    ).resolves.toMatchObject({ platforms: { kind: 'unknown' } })
    await expect(
      platformsPull(scripted(head, { status: 200, body: single }, { status: 503 }).fetch)
    ).rejects.toThrow(RegistryUnavailableError)
    await expect(platformsPull(scripted(head, { status: 200, body: '{"schema' }).fetch)).rejects.toThrow(
      'could not be read (not JSON)'
    )
  })
})

describe('networkReason', () => {
  it('names the system error code, or the cause fetch wrapped, or a timeout', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
    expect(networkReason(new TypeError('fetch failed', { cause: refused }))).toBe(
      'ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)'
    )
    expect(networkReason(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe(
      'fetch failed: bad port'
    )
    expect(networkReason(new DOMException('signal timed out', 'TimeoutError'))).toBe('the request timed out')
    expect(networkReason('odd')).toBe('odd')
  })
})
