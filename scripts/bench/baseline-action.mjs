// The yardstick for `npm run bench`'s cold starts: the smallest honest JavaScript action. It reads one input
// through @actions/core, checks it and says what it got; bundled by ncc with the same flags as our actions
// (source maps registered), and run by the bench the same way (the runner's environment, no inputs).
// What our bundles take beyond this is what they cost a workflow at every step start.
import * as core from '@actions/core'

/** The one input, checked like ours are: a clear error naming it, exit code 1. */
function readName() {
  const value = core.getInput('environment-name', { trimWhitespace: true })
  if (value === '') {
    throw new Error("Input 'environment-name' is empty: it is required, such as BrillianCRM-env.")
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value)) {
    throw new Error(`Input 'environment-name' is "${value}": expected letters, digits and hyphens.`)
  }
  return value
}

function main() {
  const name = readName()
  core.info(`environment-name: ${name}`)
  core.setOutput('environment-name', name)
}

try {
  main()
} catch (error) {
  core.error(error instanceof Error ? error.message : String(error), { title: 'Baseline action' })
  process.exitCode = 1
}
