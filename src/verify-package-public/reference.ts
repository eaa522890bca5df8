import { isLoopbackHost } from '../common/url.js'
import { UserError, inputError } from '../common/errors.js'
import {
  DOCKER_HUB_NAMES,
  HOST,
  ImageRefError,
  looksLikeHost,
  parseImageRef,
  splitImageRef,
  type ImageRef
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

/** The registry's base URL: plain HTTP on a loopback host, HTTPS everywhere else. */
export function registryBaseUrl(ref: Pick<ImageReference, 'endpoint' | 'loopback'>): string {
  return `${ref.loopback ? 'http' : 'https'}://${ref.endpoint}`
}

/** Parses `image`; throws a UserError naming the input, the value and the expected form. */
export function parseReference(input: string): ImageReference {
  const value = input.trim()
  // The grammar is common/image-ref.ts; the rules below are this action's own (a registry is required, GHCR
  // needs an owner, sha256 digests only) and so are the messages.
  let parsed: ImageRef | undefined
  let problem: ImageRefError | undefined
  try {
    parsed = parseImageRef(value)
  } catch (error) {
    if (!(error instanceof ImageRefError)) throw error
    problem = error
  }
  if (problem && ['empty', 'spaces', 'scheme'].includes(problem.problem)) throw refusal(value, problem)

  const split = splitImageRef(value)
  // `ghcr.io` alone: a registry host without a path.
  const hostOnly = split.host === undefined && !split.path.includes('/') && looksLikeHost(split.path)
  const first = hostOnly ? split.path : split.host
  const path = hostOnly ? '' : split.path
  const { tag, digest } = split
  if (first === undefined) {
    throw inputError(
      INPUT,
      value,
      path.includes('/')
        ? `expected a full reference that starts with the registry, such as ${EXAMPLE}; for GitHub's registry use "ghcr.io/${value.toLowerCase()}" (on Docker Hub it is "docker.io/${value.toLowerCase()}").`
        : // a bare name is a Docker Hub official image: ghcr.io needs an owner
          `expected a full reference that starts with the registry, such as ${EXAMPLE}. "${value}" alone is the Docker Hub image "docker.io/library/${value.toLowerCase()}": write that to check it, or "ghcr.io/<owner>/${value.toLowerCase()}" for GitHub's registry.`
    )
  }
  const registry = first.toLowerCase()
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
  if (problem || parsed === undefined) throw refusal(value, problem)
  if (digest !== undefined) {
    const wrong = digestProblem(digest)
    if (wrong) throw inputError(INPUT, value, wrong)
  }

  const dockerHub = DOCKER_HUB_NAMES.has(registry)
  const owner = components.length >= 2 ? components[0] : undefined
  const name = components.length >= 2 ? components.slice(1).join('/') : components[0]
  const effectiveTag = digest === undefined ? (tag ?? DEFAULT_TAG) : tag
  const display = `${registry}/${path}${effectiveTag !== undefined ? `:${effectiveTag}` : ''}${digest !== undefined ? `@${digest}` : ''}`
  return {
    registry,
    hostname,
    endpoint: dockerHub ? DOCKER_HUB_ENDPOINT : registry,
    // Docker Hub's official images live under `library/` (`docker.io/nginx` is `library/nginx`).
    repository: parsed.repository,
    owner,
    name,
    tag: effectiveTag,
    digest,
    reference: digest ?? effectiveTag ?? DEFAULT_TAG,
    display,
    loopback
  }
}

/** Only sha256 digests, in full. */
function digestProblem(digest: string): string | undefined {
  const m = /^sha256:([0-9a-f]*)$/.exec(digest)
  if (!m) return 'the digest must have the form sha256:<64 hex digits>.'
  if (m[1].length !== 64)
    return `the digest has ${m[1].length} hex digits after "sha256:"; a sha256 digest has 64.`
  return undefined
}

/** This action's words for what the grammar found wrong. */
function refusal(value: string, error: ImageRefError | undefined): UserError {
  const why = (): string => {
    switch (error?.problem) {
      case 'empty':
        return `it is required: the image to check, such as ${EXAMPLE}.`
      case 'spaces':
        return `expected one image reference without spaces, such as ${EXAMPLE}.`
      case 'scheme':
        return `expected a reference without a scheme: use "${error.part}".`
      case 'host':
        return `"${error.part}" is not a registry host name; expected ${EXAMPLE}.`
      case 'empty-component':
        return 'it has an empty path component (a doubled or trailing "/").'
      case 'upper-case':
      case 'component':
        return `"${error.part}" is not a valid name component: use lower-case letters, digits and single separators (".", "_", "__", "-"), starting and ending with a letter or digit.`
      case 'tag':
        return error.part === ''
          ? 'the tag after ":" is empty: write a tag (such as latest) or leave out the ":".'
          : `the tag "${error.part}" is not valid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`
      case 'digest':
        return digestProblem(error.part ?? '') ?? `${error.message}.`
      default:
        return `${error?.message ?? 'not a valid image reference'}.`
    }
  }
  return inputError(INPUT, value, why())
}
