import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { UserError } from '../../common/errors.js'

export interface BundleEntry {
  /** Path inside the zip, posix separators. */
  name: string
  source: { path: string } | { content: Buffer }
  /** Unix permission bits; 0o644 unless executable. */
  mode?: number
}

export const COMPOSE_ENTRY = 'docker-compose.yml'
const INPUT = 'include'

function toPosix(path: string): string {
  return path.split(sep).join('/')
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Hooks must be executable on the instance; everything else is 0644. */
export function entryMode(name: string, sourceMode: number): number {
  const hook =
    /^\.platform\/(hooks|confighooks)\//.test(name) || (name.startsWith('.platform/') && name.endsWith('.sh'))
  return hook || (sourceMode & 0o111) !== 0 ? 0o755 : 0o644
}

interface Walk {
  workspace: string
  realWorkspace: string
  include: string
  out: BundleEntry[]
  seenDirs: Set<string>
  skipped: string[]
}

/**
 * Never shipped, at any depth of an included folder: VCS folders (a `.git/config` can hold an AUTHORIZATION
 * extraheader: actions/checkout writes one) and `.env*` files (`.env`, `.env.production`, `.envrc`: local
 * secrets). Case-insensitive. The bundle goes to S3 and onto every instance.
 */
export function isPrivatePath(basename: string): boolean {
  return /^\.(git|hg|svn)$/i.test(basename) || /^\.env/i.test(basename)
}

/** True when a posix path inside the workspace goes through (or is) a VCS folder or a .env file. */
function throughPrivate(posixPath: string): boolean {
  return posixPath.split('/').some(isPrivatePath)
}

/**
 * `root`: the include path itself, resolved in full (a folder on its way may be a link); below it only
 * symbolic links need resolving, since their folders were resolved and checked on the way down.
 */
async function addPath(walk: Walk, path: string, root = false): Promise<void> {
  const name = toPosix(relative(walk.workspace, path))
  if (throughPrivate(name)) {
    walk.skipped.push(name)
    return
  }
  const info = await lstat(path)
  let real = path
  let target = info
  if (info.isSymbolicLink() || root) {
    try {
      real = await realpath(path)
    } catch {
      throw new UserError(`Input '${INPUT}': "${name}" is a broken symbolic link.`, { input: INPUT })
    }
    if (!inside(walk.realWorkspace, real)) {
      throw new UserError(
        `Input '${INPUT}': "${name}" is a symbolic link to ${real}, outside the workspace; copy the file into the repository instead.`,
        { input: INPUT }
      )
    }
    // a link to .env or into .git ships the secret under an innocent name
    const linked = toPosix(relative(walk.realWorkspace, real))
    if (throughPrivate(linked)) {
      walk.skipped.push(`${name} (a link to ${linked})`)
      return
    }
    target = info.isSymbolicLink() ? await stat(real) : info
  }
  if (target.isDirectory()) {
    const key = await realpath(real)
    if (walk.seenDirs.has(key)) return // a symlink loop or a folder reached twice
    walk.seenDirs.add(key)
    for (const child of (await readdir(path)).sort()) await addPath(walk, join(path, child))
    walk.seenDirs.delete(key)
    return
  }
  if (!target.isFile()) return // sockets, fifos: nothing to ship
  walk.out.push({ name, source: { path: real }, mode: entryMode(name, target.mode) })
}

/**
 * Lists what goes into the bundle: the (pinned) compose file as docker-compose.yml at the root, then each
 * include path (folders recursively), sorted by name. Reads only metadata, never file contents.
 */
export async function collectEntries(opts: {
  workspace: string
  composeFile: string
  composeContent: Buffer
  include: string[]
  includeExplicit: boolean
  /** Filled with the paths left out as private (VCS folders, .env files). */
  skipped?: string[]
}): Promise<BundleEntry[]> {
  const workspace = resolve(opts.workspace)
  const realWorkspace = await realpath(workspace)
  const out: BundleEntry[] = [{ name: COMPOSE_ENTRY, source: { content: opts.composeContent }, mode: 0o644 }]
  const walk: Walk = {
    workspace,
    realWorkspace,
    include: '',
    out,
    seenDirs: new Set(),
    skipped: opts.skipped ?? []
  }
  for (const raw of opts.include) {
    const item = raw.trim()
    if (item === '') continue
    const full = resolve(workspace, item)
    if (!inside(workspace, full)) {
      throw new UserError(
        `Input '${INPUT}' has "${item}": expected a path inside the workspace (${workspace}), relative to it.`,
        { input: INPUT }
      )
    }
    if (full === workspace) {
      throw new UserError(
        `Input '${INPUT}' has "${item}", the whole workspace: list the files or folders to ship, e.g. .ebextensions and .platform.`,
        { input: INPUT }
      )
    }
    try {
      await lstat(full)
    } catch {
      if (!opts.includeExplicit) continue
      throw new UserError(
        `Input '${INPUT}' has "${item}", which does not exist in the workspace (${workspace}). Check the path or remove it.`,
        { input: INPUT }
      )
    }
    walk.include = item
    await addPath(walk, full, true)
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (let i = 1; i < out.length; i++) {
    if (out[i]?.name === out[i - 1]?.name) {
      const name = out[i]?.name ?? ''
      throw new UserError(
        name === COMPOSE_ENTRY
          ? `Input '${INPUT}' adds ${COMPOSE_ENTRY} at the bundle root, where the compose file (${opts.composeFile}) goes; leave it out of '${INPUT}'.`
          : `Input '${INPUT}' adds "${name}" twice; list each file or folder once.`,
        { input: INPUT }
      )
    }
  }
  return out
}
