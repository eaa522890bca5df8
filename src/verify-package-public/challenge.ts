/**
 * The `WWW-Authenticate` challenge of a registry (RFC 7235 / the distribution token spec):
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:imbit/app:pull"`. Pure.
 */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

/** Parses one challenge; undefined when the header is absent or empty. */
export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  const text = header?.trim() ?? ''
  if (text === '') return undefined
  const space = text.indexOf(' ')
  const scheme = (space < 0 ? text : text.slice(0, space)).toLowerCase()
  const params: Record<string, string> = {}
  const re = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy
  re.lastIndex = space < 0 ? text.length : space + 1
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]
  }
  return { scheme, params }
}
