// jest globalTeardown: no test may leave a file or folder in the temporary directory. Lists what is left in the
// run's own TMPDIR (temp-dir-setup.mjs), removes it, and fails the run naming each entry.
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

function entries(dir, root, depth) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    const folder = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
    const inside = folder && depth > 0 ? entries(path, root, depth - 1) : []
    return [`${relative(root, path)}${folder ? '/' : ''}`, ...inside.slice(0, 5)]
  })
}

export default function teardown() {
  const dir = process.env.TMPDIR
  const parent = process.env.IMBIT_TEST_TMPDIR_PARENT
  if (parent === undefined || !dir) return
  const left = entries(dir, dir, 1)
  rmSync(dir, { recursive: true, force: true })
  if (parent) process.env.TMPDIR = parent
  else delete process.env.TMPDIR
  delete process.env.IMBIT_TEST_TMPDIR_PARENT
  if (left.length > 0) {
    throw new Error(
      `Tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temporary directory (each test must remove what it creates):\n` +
        left.map(entry => `  ${entry}`).join('\n')
    )
  }
}
