import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { UserError } from '../common/errors.js'
import {
  BundleError,
  checkBundleSize,
  collectEntries,
  inspectBundle,
  pinComposeImage,
  writeDeterministicZip
} from './bundle/index.js'
import { formatBytes } from './format.js'
import type { Source } from './inputs.js'

/** A bundle ready to upload: a temp zip we built, or the user's own. */
export interface PreparedBundle {
  path: string
  sha256: string
  size: number
  /** True when we wrote it (and remove it at the end). */
  temporary: boolean
  pinned: Array<{ service: string; from: string; to: string }>
  entries: number
}

/** BundleError → UserError naming the input; anything else unchanged. */
export function asUserError(error: unknown, fallbackInput: string): unknown {
  if (error instanceof BundleError) {
    return new UserError(error.message, { input: error.input ?? fallbackInput, cause: error })
  }
  return error
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
  }
  const entries = await collectEntries({
    workspace,
    composeFile: source.composeFile,
    composeContent: Buffer.from(composeContent, 'utf8'),
    include: source.include,
    includeExplicit: source.includeExplicit
  })
  const out = join(tempDir, `deploy-beanstalk-${randomBytes(6).toString('hex')}.zip`)
  const zip = await writeDeterministicZip(entries, out)
  checkBundleSize(zip.size, 'include')
  return {
    path: zip.path,
    sha256: zip.sha256,
    size: zip.size,
    temporary: true,
    pinned,
    entries: zip.entries.length
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
  const info = await inspectBundle(full)
  if (!info.hasCompose && !info.hasDockerrun) {
    throw new UserError(
      `Input 'bundle' is "${path}": the zip has neither docker-compose.yml nor Dockerrun.aws.json at its root, so the Docker platform cannot run it. Put one of them at the root of the zip (not in a folder).`,
      { input: 'bundle' }
    )
  }
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
  const input = source.kind === 'bundle' ? 'bundle' : 'compose-file'
  try {
    const bundle =
      source.kind === 'bundle'
        ? await readyBundle(source.path, workspace)
        : await buildBundle(source, workspace, tempDir)
    core.info(
      `${source.kind === 'bundle' ? basename(bundle.path) : 'Bundle'}: ${formatBytes(bundle.size)}, ${bundle.entries} entries, sha256 ${bundle.sha256}`
    )
    return bundle
  } catch (error) {
    throw asUserError(error, input)
  }
}
