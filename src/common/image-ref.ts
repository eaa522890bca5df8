/**
 * The grammar of container image references (as in distribution's reference package), shared by the
 * actions that read them: verify-package-public (`image`) and deploy-beanstalk (compose images, `image`).
 * Each action keeps its own rules and messages on top. Pure: no I/O.
 */

/** One repository path component. */
export const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/** A registry host: a DNS name or a bracketed IPv6 address, with an optional port (any case). */
export const HOST =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i

/** Docker Hub's names as people write them. */
export const DOCKER_HUB_NAMES: ReadonlySet<string> = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io'
])

/** True when a reference's first component names a registry host (a dot or a port, or localhost). */
export function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component.toLowerCase() === 'localhost'
}

/** Splits `NAME[:TAG][@DIGEST]`: the tag is after a colon that follows the last slash (not a port). */
export function splitTagAndDigest(value: string): { name: string; tag?: string; digest?: string } {
  let name = value
  let digest: string | undefined
  const at = name.indexOf('@')
  if (at >= 0) {
    digest = name.slice(at + 1)
    name = name.slice(0, at)
  }
  let tag: string | undefined
  const colon = name.lastIndexOf(':')
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) }
}
