import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'

/**
 * Which imbit/actions is running, for the first line of every action's log, from what the runner knows:
 * - `uses: imbit/actions/actions/<name>@<ref>`: the runner downloads that ref (no git) and says which in
 *   GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF;
 * - `uses: ./…/actions/<name>` (deploy.yml checks imbit/actions out at its own commit): the git checkout the
 *   bundle runs from gives the commit, and the release tags or branch pointing at it.
 * Read with plain file reads (no git binary), never failing: an unknown version is said so.
 */
export interface Checkout {
  commit?: string
  branch?: string
  tags: string[]
}

export interface VersionFacts extends Checkout {
  /** GITHUB_ACTION_REPOSITORY: set when the runner downloaded the action. */
  repository?: string
  /** GITHUB_ACTION_REF: the ref the workflow named, such as v1 or v1.4.2. */
  ref?: string
}

/** The first log line: `imbit/actions deploy-beanstalk v1.4.2, commit 0123…`. Pure. */
export function versionLine(action: string, facts: VersionFacts): string {
  const parts: string[] = []
  if (facts.ref) parts.push(facts.ref)
  parts.push(...facts.tags.filter(tag => tag !== facts.ref))
  if (facts.commit) parts.push(`commit ${facts.commit}`)
  if (facts.branch && !facts.ref && facts.tags.length === 0) parts.push(`branch ${facts.branch}`)
  const version = parts.length > 0 ? parts.join(', ') : 'version unknown (no release tag or git commit found)'
  return `${facts.repository || 'imbit/actions'} ${action} ${version}`
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** The git directory of a checkout at `root`: `.git` itself, or where a `.git` file points (worktrees). */
function gitDirectory(root: string): string | undefined {
  const dotGit = join(root, '.git')
  try {
    if (statSync(dotGit).isDirectory()) return dotGit
  } catch {
    return undefined
  }
  const pointer = /^gitdir: (.+)$/m.exec(read(dotGit) ?? '')?.[1]?.trim()
  if (!pointer) return undefined
  return isAbsolute(pointer) ? pointer : resolve(root, pointer)
}

/** Every branch and tag of the repository with the commit it points at (annotated tags peeled). */
function refs(common: string): Map<string, string> {
  const found = new Map<string, string>()
  let last: string | undefined
  for (const line of (read(join(common, 'packed-refs')) ?? '').split('\n')) {
    const packed = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line)
    const peeled = /^\^([0-9a-f]{40})$/.exec(line)
    if (packed) found.set((last = packed[2]), packed[1])
    else if (peeled && last) found.set(last, peeled[1])
  }
  const walk = (dir: string, prefix: string): void => {
    let entries: string[]
    try {
      entries = readdirSync(join(common, dir))
    } catch {
      return
    }
    for (const name of entries) {
      const path = join(dir, name)
      const sha = /^([0-9a-f]{40})\s*$/.exec(read(join(common, path)) ?? '')?.[1]
      if (sha) found.set(`${prefix}${name}`, sha)
      else walk(path, `${prefix}${name}/`)
    }
  }
  walk(join('refs', 'heads'), 'refs/heads/')
  walk(join('refs', 'tags'), 'refs/tags/')
  for (const [name, sha] of found) {
    if (name.startsWith('refs/tags/')) found.set(name, peel(common, sha))
  }
  return found
}

/** An annotated tag's commit, when the tag object is loose ("tag <size>\0object <sha>…"); else the sha as is. */
function peel(common: string, sha: string): string {
  try {
    const object = inflateSync(readFileSync(join(common, 'objects', sha.slice(0, 2), sha.slice(2)))).toString(
      'utf8'
    )
    return /^tag \d+\0object ([0-9a-f]{40})\n/.exec(object)?.[1] ?? sha
  } catch {
    return sha
  }
}

/** The commit checked out at `root`, its branch and the tags on it; empty when `root` is no git checkout. */
export function readCheckout(root: string): Checkout {
  const git = gitDirectory(root)
  if (!git) return { tags: [] }
  const common = resolve(git, (read(join(git, 'commondir')) ?? '.').trim())
  const head = (read(join(git, 'HEAD')) ?? '').trim()
  const all = refs(common)
  const symbolic = /^ref: (refs\/heads\/.+)$/.exec(head)?.[1]
  const commit = symbolic ? all.get(symbolic) : /^[0-9a-f]{40}$/.test(head) ? head : undefined
  if (!commit) return { tags: [] }
  const tags = [...all]
    .filter(([name, sha]) => name.startsWith('refs/tags/') && sha === commit)
    .map(([name]) => name.slice('refs/tags/'.length))
    .sort()
  return { commit, branch: symbolic?.slice('refs/heads/'.length), tags }
}

/**
 * The version line of the running bundle (`dist/<action>/index.js` in the imbit/actions checkout or download):
 * the action is the bundle's folder, the checkout its grandparent.
 */
export function bundleVersionLine(bundleUrl: string, env: NodeJS.ProcessEnv): string {
  const remote = {
    repository: env.GITHUB_ACTION_REPOSITORY || undefined,
    ref: env.GITHUB_ACTION_REPOSITORY ? env.GITHUB_ACTION_REF || undefined : undefined
  }
  let dir: string
  try {
    dir = dirname(fileURLToPath(bundleUrl))
  } catch {
    return versionLine('action', { ...remote, tags: [] })
  }
  return versionLine(basename(dir), { ...readCheckout(resolve(dir, '..', '..')), ...remote })
}
