// Builds one ncc bundle per action: src/<name>/index.ts -> dist/<name>/index.js (ESM, with its package.json).
// `node scripts/build.mjs` builds all; `node scripts/build.mjs <name>...` builds some.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
        '  "compilerOptions": { "types": ["node"], "sourceMap": true },',
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
      // Source maps, registered by the bundle at start (ncc's sourcemap-register), so a stack trace in the log
      // points at src/<action>/….ts rather than at a line of the bundle.
      '--source-map',
      '-q'
    ],
    { stdio: 'inherit' }
  )
  fixSourceMaps(out)
  console.log(`built dist/${name}/index.js`)
}

/**
 * ncc writes sources relative to one folder above the bundle (`.././src/…`); ours sit two folders down
 * (dist/<action>/), so a stack trace would name dist/src/…. Point them at the repository's src/ and
 * node_modules/, and leave out the embedded sources (the files are in the repository; the maps stay small).
 */
function fixSourceMaps(dir) {
  for (const file of readdirSync(dir).filter(f => f.endsWith('.js.map'))) {
    const path = join(dir, file)
    const map = JSON.parse(readFileSync(path, 'utf8'))
    map.sources = map.sources.map(source => source.replace(/^\.\.\/\.\//, '../../'))
    delete map.sourcesContent
    writeFileSync(path, JSON.stringify(map))
  }
}
