// `node --import tsx/esm --import ./scripts/compile-cache.mjs <script.ts>`: keeps what the run compiles in
// .tmp/compile-cache/ (git ignores .tmp/), so the next run does not compile it again (npm run local: local.ts, the
// sandbox, @github/local-action's TypeScript and the action's src/ are otherwise compiled afresh on every run,
// a good part of its start-up):
// - ts/: tsx's output for each TypeScript module, keyed by everything tsx's output depends on (the file's path
//   and content, import or require, tsx's and esbuild's versions, the tsconfig.json tsx reads). This hook runs
//   before tsx's (hooks registered later run first) and answers from the cache; on a miss it asks tsx and stores
//   the answer.
// - v8/: Node's own compile cache (module.enableCompileCache) for the JavaScript, the dependencies included.
// Both live outside the system's temporary directory, os.tmpdir() (scripts/node24.mjs turns tsx's and Node's
// default caches off because they would leave folders there). A cache that cannot be written is skipped, never
// an error; delete the folder to start afresh.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import module from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
// not under node_modules/: a folder made there makes node_modules newer than npm's hidden lockfile, and every
// `npm ls` (which local-action runs) then reads the whole tree again (about half a second more)
const CACHE = join(ROOT, '.tmp', 'compile-cache')
const TS = join(CACHE, 'ts')

const read = file => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

// Node's cache: scripts/node24.mjs sets NODE_DISABLE_COMPILE_CACHE for its default folder in the temporary
// directory; this one is elsewhere. The variable is put back for the processes this one starts (npm among them).
const disabled = process.env.NODE_DISABLE_COMPILE_CACHE
delete process.env.NODE_DISABLE_COMPILE_CACHE
try {
  module.enableCompileCache?.(join(CACHE, 'v8'))
} catch {
  // an older Node, or a folder that cannot be made: run without it
}
if (disabled !== undefined) process.env.NODE_DISABLE_COMPILE_CACHE = disabled

// what tsx's output depends on besides the file itself
const tsconfig = process.env.TSX_TSCONFIG_PATH
  ? resolve(process.env.TSX_TSCONFIG_PATH)
  : join(process.cwd(), 'tsconfig.json')
const version = name => {
  try {
    return JSON.parse(read(join(ROOT, 'node_modules', name, 'package.json'))).version ?? ''
  } catch {
    return ''
  }
}
const salt = ['1', process.version, version('tsx'), version('esbuild'), tsconfig, read(tsconfig)].join('\0')

// ts/ gains an entry for every version of a file: at most once a day, entries written more than a week ago go
// (one still in use is simply written again on its next miss)
const DAY = 24 * 3600 * 1000
const marker = join(TS, '.pruned')
const prunedAt = (() => {
  try {
    return statSync(marker).mtimeMs
  } catch {
    return 0
  }
})()
if (Date.now() - prunedAt > DAY) {
  void (async () => {
    try {
      mkdirSync(TS, { recursive: true })
      writeFileSync(marker, '')
      for (const name of await readdir(TS)) {
        if (!name.endsWith('.js')) continue
        const file = join(TS, name)
        if (Date.now() - (await stat(file)).mtimeMs > 7 * DAY) await rm(file, { force: true })
      }
    } catch {
      // a cache that cannot be pruned is only bigger
    }
  })()
}

let writable = true
module.registerHooks?.({
  load(url, context, nextLoad) {
    // file:…/x.ts, also with a query (quibble, which local-action stubs @actions/* with, adds ?__quibble=N)
    const match = /^(file:[^?#]*\.m?tsx?)(?:\?[^#]*)?$/.exec(url)
    if (!match) return nextLoad(url, context)
    const path = fileURLToPath(match[1])
    let source
    try {
      source = readFileSync(path, 'utf8')
    } catch {
      return nextLoad(url, context)
    }
    // the context's format and whether require() asks: tsx answers an import and a require differently
    const asked = `${context.format ?? ''} ${context.conditions?.includes('require') ? 'require' : 'import'}`
    const key = createHash('sha256')
      .update(salt)
      .update('\0')
      .update(`${url} ${asked}`)
      .update('\0')
      .update(source)
    const file = join(TS, `${key.digest('hex')}.js`)
    const cached = read(file)
    if (cached) return { format: 'module', source: cached, shortCircuit: true }
    const loaded = nextLoad(url, context)
    // stored only when the file did not change while tsx read it (the key is the content read above)
    if (writable && loaded.format === 'module' && loaded.source != null && read(path) === source) {
      try {
        mkdirSync(TS, { recursive: true })
        // written aside and renamed: a run started at the same time never reads half a file
        const part = `${file}.${process.pid}.part`
        writeFileSync(part, loaded.source)
        renameSync(part, file)
      } catch {
        writable = false
      }
    }
    return loaded
  }
})
