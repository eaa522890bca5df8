import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { UserError } from '../../common/errors.js'
import { formatBytes } from '../../common/format.js'
import type { Source } from '../inputs.js'
import { pinComposeImage, unpinnedServices } from './compose.js'
import { collectEntries } from './contents.js'
import { inspectBundle } from './inspect.js'
import { writeDeterministicZip } from './zip.js'

/**
 * The source bundle, from the `compose-file` (pinned to `image`) and the `include`s, or the user's own
 * `bundle` zip: what goes in (contents.ts), the compose rewrite (compose.ts), the deterministic zip (zip.ts),
 * the check of a ready zip (inspect.ts) and Beanstalk's size limit (here). Only this file is imported from
 * outside the folder.
 */

/** Beanstalk's limit on a source bundle. */
export const BEANSTALK_MAX_BUNDLE_BYTES = 500 * 1024 * 1024

/** Throws before any upload when the bundle exceeds Beanstalk's 500 MB limit. */
export function checkBundleSize(size: number, input: string): void {
  if (size <= BEANSTALK_MAX_BUNDLE_BYTES) return
  throw new UserError(
    `The bundle is ${(size / (1024 * 1024)).toFixed(1)} MB (${size} bytes), over Elastic Beanstalk's limit of 500 MB ` +
      `(${BEANSTALK_MAX_BUNDLE_BYTES} bytes) per source bundle. Ship the application as a Docker image ` +
      `(the bundle only needs docker-compose.yml and its config) and leave large files out of '${input}'.`,
    { input }
  )
}

/** A bundle ready to upload: a temp zip we built, or the user's own. */
export interface PreparedBundle {
  path: string
  sha256: string
  size: number
  /** True when we wrote it (and remove it at the end). */
  temporary: boolean
  pinned: Array<{ service: string; from: string; to: string }>
  entries: number
  /**
   * Built from a compose file without `image`: the services whose image the file does not pin itself (a digest or
   * a tag other than `latest`), with why. Undefined for a ready zip or a build with `image`.
   */
  unpinned?: Array<{ service: string; why: string }>
}

function insideWorkspace(workspace: string, input: string, path: string): string {
  const full = isAbsolute(path) ? path : resolve(workspace, path)
  const rel = relative(workspace, full)
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new UserError(
      `Input '${input}' is "${path}": expected a path inside the workspace (${workspace}).`,
      { input }
    )
  }
  return full
}

async function composeCandidates(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(name => /^(docker-)?compose[\w.-]*\.ya?ml$/i.test(name)).sort()
  } catch {
    return []
  }
}

async function readCompose(workspace: string, composeFile: string): Promise<string> {
  const path = insideWorkspace(workspace, 'compose-file', composeFile)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'EISDIR') throw error
    const candidates = await composeCandidates(dirname(path))
    const hint =
      candidates.length > 0
        ? ` Compose files in ${relative(workspace, dirname(path)) || 'the workspace root'}: ${candidates.join(', ')}.`
        : ' Check out the repository first (actions/checkout), or set compose-file to its path.'
    throw new UserError(
      `Input 'compose-file' is "${composeFile}": no such file in the workspace (${path}).${hint}`,
      { input: 'compose-file', title: 'Compose file not found' }
    )
  }
}

/** Builds the deterministic zip (compose file pinned to `image`, plus the includes) in `tempDir`. */
async function buildBundle(
  source: Extract<Source, { kind: 'compose' }>,
  workspace: string,
  tempDir: string
): Promise<PreparedBundle> {
  const original = await readCompose(workspace, source.composeFile)
  let composeContent = original
  let pinned: PreparedBundle['pinned'] = []
  if (source.image !== undefined) {
    const result = pinComposeImage(original, source.image, source.composeFile)
    composeContent = result.yaml
    pinned = result.pinned
    for (const pin of pinned) core.info(`Service ${pin.service}: ${pin.from} → ${pin.to}`)
    for (const service of result.buildRemoved) {
      core.info(
        `Service ${service}: its build: section was removed (the bundle has no build context; the image is pulled).`
      )
    }
  }
  const skipped: string[] = []
  const entries = await collectEntries({
    workspace,
    composeFile: source.composeFile,
    composeContent: Buffer.from(composeContent, 'utf8'),
    include: source.include,
    includeExplicit: source.includeExplicit,
    skipped
  })
  for (const path of skipped) core.info(`Skipped ${path}: VCS folders and .env files are never shipped.`)
  const out = join(tempDir, `deploy-beanstalk-${randomBytes(6).toString('hex')}.zip`)
  const zip = await writeDeterministicZip(entries, out)
  checkBundleSize(zip.size, 'include')
  return {
    path: zip.path,
    sha256: zip.sha256,
    size: zip.size,
    temporary: true,
    pinned,
    entries: zip.entries.length,
    unpinned: source.image === undefined ? unpinnedServices(original) : undefined
  }
}

/** Checks a ready zip: inside the workspace, under Beanstalk's size limit, with a compose file or Dockerrun. */
async function readyBundle(path: string, workspace: string): Promise<PreparedBundle> {
  const full = insideWorkspace(workspace, 'bundle', path)
  let size: number
  try {
    size = (await stat(full)).size
  } catch {
    throw new UserError(`Input 'bundle' is "${path}": no such file in the workspace (${full}).`, {
      input: 'bundle'
    })
  }
  checkBundleSize(size, 'bundle')
  // Readable, with docker-compose.yml or Dockerrun.aws.json at its root (else a UserError saying what is there).
  const info = await inspectBundle(full)
  return {
    path: full,
    sha256: info.sha256,
    size: info.size,
    temporary: false,
    pinned: [],
    entries: info.entries.length
  }
}

export async function prepareBundle(
  source: Source,
  workspace: string,
  tempDir: string
): Promise<PreparedBundle> {
  const bundle =
    source.kind === 'bundle'
      ? await readyBundle(source.path, workspace)
      : await buildBundle(source, workspace, tempDir)
  core.info(
    `${source.kind === 'bundle' ? basename(bundle.path) : 'Bundle'}: ${formatBytes(bundle.size)}, ${bundle.entries} entries, sha256 ${bundle.sha256}`
  )
  return bundle
}
