// Builds one ncc bundle per action: src/<name>/index.ts -> dist/<name>/index.js (ESM, with its package.json).
// `node scripts/build.mjs` builds all; `node scripts/build.mjs <name>...` builds some.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const all = readdirSync('src', { withFileTypes: true })
  .filter(d => d.isDirectory() && existsSync(join('src', d.name, 'index.ts')))
  .map(d => d.name)
  .sort()
const names = process.argv.length > 2 ? process.argv.slice(2) : all
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`no action src/${name}/index.ts; actions: ${all.join(', ')}`)
    process.exit(1)
  }
  // ncc type-checks with the tsconfig nearest the entry: give each action one that holds only its own
  // folder and src/common, so one action's bundle never depends on another's sources.
  const tsconfig = join('src', name, 'tsconfig.json')
  if (!existsSync(tsconfig)) {
    writeFileSync(
      tsconfig,
      [
        '{',
        '  "extends": "../../tsconfig.json",',
        '  "compilerOptions": { "types": ["node"] },',
        '  "include": [".", "../common"]',
        '}',
        ''
      ].join('\n')
    )
  }
  const out = join('dist', name)
  rmSync(out, { recursive: true, force: true })
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      join('src', name, 'index.ts'),
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
      '-q'
    ],
    { stdio: 'inherit' }
  )
  console.log(`built dist/${name}/index.js`)
}
