import { createHash } from 'node:crypto'
import { addSecret } from '../common/secrets.js'
import { parseChallenge } from './challenge.js'
import { isRunnable, type ImagePlatforms, type Platform } from './platform.js'
import { isLoopbackHost } from '../common/url.js'
import { registryBaseUrl, type ImageReference } from './reference.js'
import { debug } from '../common/log.js'

/** Every manifest type a runtime may pull: multi-arch images are indexes / manifest lists. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
] as const

/** What an anonymous pull of the manifest found. */
export type PullResult =
  | { kind: 'pullable'; digest: string; mediaType?: string; platforms?: ImagePlatforms }
  /** The registry refused an anonymous pull (401/403, or a token endpoint that refused). */
  | { kind: 'denied'; status: number; detail: string }

/** The manifest (tag or package) does not exist (yet): worth retrying shortly after a push. */
export class ManifestNotFoundError extends Error {
  override readonly name = 'ManifestNotFoundError'
  constructor(
    readonly reference: string,
    readonly detail: string
  ) {
    super(`${reference}: not found (${detail})`)
  }
}

/** A network fault, a timeout, 429 or a 5xx: worth retrying. */
export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError'
}

/** The registry answered in a way no retry will change (a malformed challenge, an insecure realm…). */
export class RegistryProtocolError extends Error {
  override readonly name = 'RegistryProtocolError'
}

export type Fetch = typeof fetch

export interface PullOptions {
  /** Per-request timeout, in ms. */
  requestTimeoutMs: number
  fetch?: Fetch
  /** Also read what platforms the image serves: the index's entries, or a single manifest's config blob. */
  readPlatforms?: boolean
}

/**
 * One anonymous pull check, as a Docker daemon without credentials does it: HEAD the manifest; on a Bearer
 * challenge, ask the token endpoint it names (anonymously, with its service and scope) and HEAD again with
 * that token. Throws ManifestNotFoundError / RegistryUnavailableError for the retryable cases.
 */
export async function checkAnonymousPull(ref: ImageReference, options: PullOptions): Promise<PullResult> {
  const http = options.fetch ?? fetch
  const url = `${registryBaseUrl(ref)}/v2/${ref.repository}/manifests/${ref.reference}`
  const request = async (target: string, init: RequestInit): Promise<Response> => {
    debug(`${init.method ?? 'GET'} ${target}`)
    try {
      const response = await http(target, {
        ...init,
        redirect: 'follow',
        signal: AbortSignal.timeout(options.requestTimeoutMs)
      })
      debug(`→ ${response.status} ${response.statusText}`)
      return response
    } catch (error) {
      throw new RegistryUnavailableError(`${new URL(target).host} did not answer: ${networkReason(error)}`)
    }
  }
  const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', ') }

  let auth: Record<string, string> = {}
  let response = await request(url, { method: 'HEAD', headers })
  if (response.status === 401) {
    const challenge = parseChallenge(response.headers.get('www-authenticate'))
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      return {
        kind: 'denied',
        status: 401,
        detail: challenge
          ? `the registry asks for ${challenge.scheme} credentials`
          : 'the registry asks for credentials'
      }
    }
    const token = await anonymousToken(ref, challenge.params, request)
    if (typeof token !== 'string') return token
    auth = { Authorization: `Bearer ${token}` }
    response = await request(url, { method: 'HEAD', headers: { ...headers, ...auth } })
  }
  const status = response.status
  if (status === 200) {
    const mediaType = response.headers.get('content-type')?.split(';')[0].trim() || undefined
    const digest = response.headers.get('docker-content-digest')
    if (digest && !options.readPlatforms) return { kind: 'pullable', digest, mediaType }
    // Fetch the manifest: to hash it when HEAD sent no Docker-Content-Digest (as a runtime does), and to read
    // its platforms.
    const body = await request(url, { method: 'GET', headers: { ...headers, ...auth } })
    if (body.status !== 200) return interpret(ref, body)
    const bytes = Buffer.from(await body.arrayBuffer())
    const result: Extract<PullResult, { kind: 'pullable' }> = {
      kind: 'pullable',
      digest: digest ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      mediaType
    }
    if (options.readPlatforms) {
      result.platforms = await platformsOf(
        ref,
        bytes,
        body.headers.get('content-type') ?? mediaType,
        auth,
        request
      )
    }
    return result
  }
  return interpret(ref, response)
}

type Requester = (target: string, init: RequestInit) => Promise<Response>

const INDEX_TYPES = new Set<string>([MANIFEST_TYPES[0], MANIFEST_TYPES[1]])

/**
 * The platforms a manifest serves: an index / manifest list names them per entry; a single manifest's are in
 * its config blob (fetched with the same anonymous token). A body that does not parse is retried (a truncated
 * answer); a config blob the registry will not serve leaves the platform unknown.
 */
async function platformsOf(
  ref: ImageReference,
  bytes: Buffer,
  contentType: string | null | undefined,
  auth: Record<string, string>,
  request: Requester
): Promise<ImagePlatforms> {
  const manifest = parseJson(bytes, `the manifest of ${ref.display}`) as {
    mediaType?: unknown
    manifests?: Array<{ platform?: Partial<Record<keyof Platform, unknown>> }>
    config?: { digest?: unknown }
  }
  const type =
    (typeof manifest.mediaType === 'string' ? manifest.mediaType : contentType?.split(';')[0].trim()) ?? ''
  if (INDEX_TYPES.has(type) || Array.isArray(manifest.manifests)) {
    const platforms = (manifest.manifests ?? [])
      .map(entry => platformFrom(entry.platform))
      .filter((p): p is Platform => p !== undefined && isRunnable(p))
    return { kind: 'index', platforms }
  }
  const configDigest = manifest.config?.digest
  if (typeof configDigest !== 'string' || !/^[a-z0-9]+:[a-f0-9]+$/i.test(configDigest)) {
    return { kind: 'unknown', reason: 'the manifest names no config blob' }
  }
  const blobUrl = `${registryBaseUrl(ref)}/v2/${ref.repository}/blobs/${configDigest}`
  const response = await request(blobUrl, { method: 'GET', headers: { Accept: '*/*', ...auth } })
  if (response.status === 429 || response.status >= 500) {
    throw new RegistryUnavailableError(
      `${ref.registry} answered ${statusLine(response)} for the image config`
    )
  }
  if (response.status !== 200) {
    return {
      kind: 'unknown',
      reason: `the registry answered ${statusLine(response)} for the image config ${configDigest}`
    }
  }
  const config = parseJson(Buffer.from(await response.arrayBuffer()), `the image config of ${ref.display}`)
  const platform = platformFrom(config as Partial<Record<keyof Platform, unknown>>)
  return platform
    ? { kind: 'manifest', platforms: [platform] }
    : { kind: 'unknown', reason: 'the image config names no os/architecture' }
}

function parseJson(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'))
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  } catch {
    // fall through
  }
  // a truncated or garbled answer: worth another try within the timeout
  throw new RegistryUnavailableError(`${what} could not be read (not JSON)`)
}

function platformFrom(fields: Partial<Record<keyof Platform, unknown>> | undefined): Platform | undefined {
  if (!fields || typeof fields.os !== 'string' || typeof fields.architecture !== 'string') return undefined
  const platform: Platform = { os: fields.os.toLowerCase(), architecture: fields.architecture.toLowerCase() }
  if (typeof fields.variant === 'string' && fields.variant !== '')
    platform.variant = fields.variant.toLowerCase()
  return platform
}

/**
 * An anonymous token from the realm the challenge names (never a hard-coded URL), with its service and the
 * pull scope. Returns the token, or a `denied` result when the token endpoint refuses.
 */
async function anonymousToken(
  ref: ImageReference,
  params: Record<string, string>,
  request: Requester
): Promise<string | PullResult> {
  let realm: URL
  try {
    realm = new URL(params.realm)
  } catch {
    throw new RegistryProtocolError(
      `${ref.registry} names a token endpoint that is not a URL: "${params.realm}".`
    )
  }
  if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.hostname))) {
    throw new RegistryProtocolError(
      `${ref.registry} names a token endpoint over ${realm.protocol.replace(':', '')} (${realm.origin}); only HTTPS is used outside this machine.`
    )
  }
  if (params.service) realm.searchParams.set('service', params.service)
  realm.searchParams.set('scope', params.scope || `repository:${ref.repository}:pull`)
  const response = await request(realm.toString(), { method: 'GET', headers: { Accept: 'application/json' } })
  if (response.status === 401 || response.status === 403) {
    return {
      kind: 'denied',
      status: response.status,
      detail: `the token endpoint answered ${statusLine(response)} to a request for an anonymous pull token`
    }
  }
  if (response.status === 429 || response.status >= 500) {
    throw new RegistryUnavailableError(`the token endpoint ${realm.host} answered ${response.status}`)
  }
  if (response.status === 404) {
    throw new ManifestNotFoundError(ref.display, 'the token endpoint answered 404 Not Found')
  }
  if (response.status !== 200) {
    throw new RegistryProtocolError(`the token endpoint ${realm.host} answered ${response.status}.`)
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    throw new RegistryProtocolError(`the token endpoint ${realm.host} did not answer with JSON.`)
  }
  const fields = (body ?? {}) as { token?: unknown; access_token?: unknown }
  const token = typeof fields.token === 'string' ? fields.token : fields.access_token
  if (typeof token !== 'string' || token === '') {
    throw new RegistryProtocolError(`the token endpoint ${realm.host} answered without a token.`)
  }
  // An anonymous token is no secret, but keep it out of logs all the same.
  addSecret(token)
  return token
}

function interpret(ref: ImageReference, response: Response): PullResult {
  const status = response.status
  const line = statusLine(response)
  if (status === 401 || status === 403)
    return { kind: 'denied', status, detail: `the registry answered ${line}` }
  if (status === 404) throw new ManifestNotFoundError(ref.display, `the registry answered ${line}`)
  if (status === 429 || status >= 500) throw new RegistryUnavailableError(`${ref.registry} answered ${line}`)
  throw new RegistryProtocolError(
    `${ref.registry} answered ${line} to a manifest request for ${ref.display}.`
  )
}

/** `404 Not Found`, or `404` when the server sent no reason phrase. */
function statusLine(response: Response): string {
  return `${response.status} ${response.statusText}`.trim()
}

/** The reason behind a fetch failure: `ECONNREFUSED`, `timed out after 10s`… */
export function networkReason(error: unknown): string {
  // Duck-typed: an AbortSignal timeout rejects with a DOMException, which is not always an Error instance.
  const fault = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown
    message?: unknown
    cause?: { code?: string; message?: string }
  }
  if (fault.name === 'TimeoutError') return 'the request timed out'
  if (fault.cause?.code) return `${fault.cause.code}${fault.cause.message ? ` (${fault.cause.message})` : ''}`
  // fetch wraps the reason ("fetch failed"); the cause says what it was (e.g. "bad port").
  const message = typeof fault.message === 'string' ? fault.message : String(error)
  return fault.cause?.message ? `${message}: ${fault.cause.message}` : message
}
