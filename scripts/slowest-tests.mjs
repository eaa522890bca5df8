// Prints the slowest tests of a jest --json results file: `node scripts/slowest-tests.mjs <results.json> [count]`.
// .ci/run calls it after `npm test`, so a test drifting towards the 5 s budget shows before it breaks it.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const [file, count = '10'] = process.argv.slice(2)
if (!file) {
  console.error('usage: node scripts/slowest-tests.mjs <jest-results.json> [count]')
  process.exit(2)
}
const results = JSON.parse(readFileSync(file, 'utf8'))
const tests = results.testResults.flatMap(suite =>
  suite.assertionResults.map(test => ({
    ms: test.duration ?? 0,
    name: `${relative(process.cwd(), suite.name)} › ${test.fullName}`,
    status: test.status
  }))
)
tests.sort((a, b) => b.ms - a.ms)
console.log(`The ${Math.min(Number(count), tests.length)} slowest of ${tests.length} tests:`)
for (const test of tests.slice(0, Number(count))) {
  console.log(
    `${String(test.ms).padStart(7)} ms  ${test.name}${test.status === 'passed' ? '' : ` (${test.status})`}`
  )
}
