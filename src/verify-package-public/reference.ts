import { inputError } from '../common/errors.js'
import {
  COMPONENT,
  DOCKER_HUB_NAMES,
  HOST,
  TAG,
  looksLikeHost,
  splitTagAndDigest
} from '../common/image-ref.js'

/**
 * An image reference, `HOST[:PORT]/OWNER/NAME[/MORE][:TAG|@sha256:HEX]`, parsed and checked. Pure: no I/O.
 */
export interface ImageReference {
  /** The registry host as written (lower case), with its port when given: `ghcr.io`, `127.0.0.1:5000`. */
  registry: string
  /** The host alone, without port or brackets: `ghcr.io`, `127.0.0.1`, `::1`. */
  hostname: string
  /**
   * The host (with port) that serves the registry API: `registry` itself, except for Docker Hub, whose names
   * (`docker.io`, `index.docker.io`) are served by `registry-1.docker.io`.
   */
  endpoint: string
  /** The repository path on the registry: `imbit/brilliancrm`, `imbit/tools/cli` (`library/nginx` on Docker Hub). */
  repository: string
  /** The first path component (the GitHub user or organisation on GHCR); undefined for `host/name`. */
  owner?: string
  /** The package name under the owner, which may hold `/` (`tools/cli`). */
  name: string
  /** The tag, `latest` when neither a tag nor a digest was given. */
  tag?: string
  /** `sha256:<64 hex>` when pinned by digest. */
  digest?: string
  /** What the manifest is requested by: the digest when given, else the tag. */
  reference: string
  /** The full reference, normalised, for messages: `ghcr.io/imbit/brilliancrm:latest`. */
  display: string
  /** True for 127.0.0.0/8, localhost and ::1: spoken to over plain HTTP. */
  loopback: boolean
}

export const DEFAULT_TAG = 'latest'

const INPUT = 'image'
const EXAMPLE = 'ghcr.io/OWNER/NAME:TAG, e.g. ghcr.io/imbit/brilliancrm:latest'
/** The host that serves Docker Hub's registry API. */
const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io'

/** The registries the GitHub packages API describes: GHCR, and loopback stand-ins for it (tests, act). */
export function isGhcrLike(ref: Pick<ImageReference, 'hostname' | 'loopback'>): boolean {
  return ref.hostname === 'ghcr.io' || ref.loopback
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/** The registry's base URL: plain HTTP on a loopback host, HTTPS everywhere else. */
export function registryBaseUrl(ref: Pick<ImageReference, 'endpoint' | 'loopback'>): string {
  return `${ref.loopback ? 'http' : 'https'}://${ref.endpoint}`
}

/** Parses `image`; throws a UserError naming the input, the value and the expected form. */
export function parseReference(input: string): ImageReference {
  const value = input.trim()
  if (value === '') throw inputError(INPUT, value, `it is required: the image to check, such as ${EXAMPLE}.`)
  if (/\s/.test(value))
    throw inputError(INPUT, value, `expected one image reference without spaces, such as ${EXAMPLE}.`)
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)
  if (scheme) {
    throw inputError(
      INPUT,
      value,
      `expected a reference without a scheme: use "${value.slice(scheme[0].length)}".`
    )
  }

  // Split off @digest, then :tag (a colon after the last slash), then the host (the first component).
  const { name: rest, tag, digest } = splitTagAndDigest(value)
  const slash = rest.indexOf('/')
  const first = slash < 0 ? rest : rest.slice(0, slash)
  if (!looksLikeHost(first)) {
    throw inputError(
      INPUT,
      value,
      `expected a full reference that starts with the registry, such as ${EXAMPLE}; for GitHub's registry use "ghcr.io/${value.toLowerCase()}".`
    )
  }
  const registry = first.toLowerCase()
  const path = slash < 0 ? '' : rest.slice(slash + 1)
  if (!HOST.test(registry))
    throw inputError(INPUT, value, `"${first}" is not a registry host name; expected ${EXAMPLE}.`)
  const hostname = registry.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')
  const loopback = isLoopbackHost(hostname)
  const components = path === '' ? [] : path.split('/')
  const needsOwner = hostname === 'ghcr.io' || loopback
  if (components.length === 0 || (needsOwner && components.length < 2)) {
    throw inputError(
      INPUT,
      value,
      needsOwner
        ? `it has no package name: expected ${EXAMPLE} (the owner, then the package name).`
        : `it has no image name: expected HOST/NAME[:TAG], such as ${EXAMPLE}.`
    )
  }

  const lower = path.toLowerCase()
  const lowerDigest = digest?.toLowerCase()
  if (path !== lower || first !== registry || digest !== lowerDigest) {
    const fixed = `${registry}/${lower}${tag !== undefined ? `:${tag}` : ''}${lowerDigest !== undefined ? `@${lowerDigest}` : ''}`
    throw inputError(INPUT, value, `image names must be lower case: use "${fixed}".`)
  }
  const bad = components.find(c => !COMPONENT.test(c))
  if (bad !== undefined) {
    throw inputError(
      INPUT,
      value,
      bad === ''
        ? 'it has an empty path component (a doubled or trailing "/").'
        : `"${bad}" is not a valid name component: use lower-case letters, digits and single separators (".", "_", "__", "-"), starting and ending with a letter or digit.`
    )
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw inputError(
      INPUT,
      value,
      tag === ''
        ? 'the tag after ":" is empty: write a tag (such as latest) or leave out the ":".'
        : `the tag "${tag}" is not valid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`
    )
  }
  if (digest !== undefined) {
    const m = /^sha256:([0-9a-f]*)$/.exec(digest)
    if (!m) throw inputError(INPUT, value, `the digest must have the form sha256:<64 hex digits>.`)
    if (m[1].length !== 64) {
      throw inputError(
        INPUT,
        value,
        `the digest has ${m[1].length} hex digits after "sha256:"; a sha256 digest has 64.`
      )
    }
  }

  const dockerHub = DOCKER_HUB_NAMES.has(registry)
  // Docker Hub's official images live under `library/` (`docker.io/nginx` is `library/nginx`).
  const repository = dockerHub && components.length === 1 ? `library/${path}` : path
  const owner = components.length >= 2 ? components[0] : undefined
  const name = components.length >= 2 ? components.slice(1).join('/') : components[0]
  const effectiveTag = digest === undefined ? (tag ?? DEFAULT_TAG) : tag
  const display = `${registry}/${path}${effectiveTag !== undefined ? `:${effectiveTag}` : ''}${digest !== undefined ? `@${digest}` : ''}`
  return {
    registry,
    hostname,
    endpoint: dockerHub ? DOCKER_HUB_ENDPOINT : registry,
    repository,
    owner,
    name,
    tag: effectiveTag,
    digest,
    reference: digest ?? effectiveTag ?? DEFAULT_TAG,
    display,
    loopback
  }
}
