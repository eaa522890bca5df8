import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import yauzl from 'yauzl'
import { UserError } from '../../common/errors.js'

export interface InspectedBundle {
  path: string
  sha256: string
  size: number
  hasCompose: boolean
  hasDockerrun: boolean
  entries: string[]
}

const INPUT = 'bundle'

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Reads the central directory only (no decompression). */
function listEntries(path: string): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (openError, zip) => {
      if (openError || !zip) {
        reject(
          new UserError(
            `Input '${INPUT}' ("${path}") is not a readable zip file: ${openError?.message ?? 'unknown error'}.`,
            { input: INPUT }
          )
        )
        return
      }
      const names: string[] = []
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName)
        zip.readEntry()
      })
      zip.on('end', () => resolvePromise(names))
      zip.on('error', (error: Error) => {
        zip.close()
        reject(
          new UserError(`Input '${INPUT}' ("${path}") is not a valid zip file: ${error.message}.`, {
            input: INPUT
          })
        )
      })
      zip.readEntry()
    })
  })
}

/** What sits at the zip's root: files, and folders (`app/`) even when the zip has no entry for them. */
function rootNames(entries: string[]): string[] {
  const seen = new Set<string>()
  for (const name of entries) {
    const slash = name.indexOf('/')
    const top = slash < 0 ? name : name.slice(0, slash + 1)
    if (top !== '' && top !== '/') seen.add(top)
  }
  return [...seen]
}

/** Checks a ready `bundle` zip: readable, and docker-compose.yml or Dockerrun.aws.json at its root. */
export async function inspectBundle(path: string): Promise<InspectedBundle> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a file')
    size = info.size
  } catch {
    throw new UserError(`Input '${INPUT}' is "${path}", which is not a file in the workspace.`, {
      input: INPUT
    })
  }
  const [entries, sha256] = await Promise.all([listEntries(path), sha256File(path)])
  const root = rootNames(entries)
  const hasCompose = root.includes('docker-compose.yml')
  const hasDockerrun = root.includes('Dockerrun.aws.json')
  if (!hasCompose && !hasDockerrun) {
    const shown =
      root.length === 0
        ? 'nothing (the zip is empty or everything is in a sub-folder)'
        : root.slice(0, 20).join(', ') + (root.length > 20 ? `, … (${root.length} in all)` : '')
    const nested = entries.find(n => /(^|\/)(docker-compose\.yml|Dockerrun\.aws\.json)$/.test(n))
    throw new UserError(
      `Input '${INPUT}' ("${path}") has neither docker-compose.yml nor Dockerrun.aws.json at its root; the root holds: ${shown}.` +
        (nested ? ` Found "${nested}": zip the folder's contents, not the folder.` : '') +
        ' Beanstalk needs one of them at the top of the zip.',
      { input: INPUT }
    )
  }
  return { path, sha256, size, hasCompose, hasDockerrun, entries }
}
