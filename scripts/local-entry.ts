/**
 * The entry @github/local-action runs (`local-action run actions/<name> ../../scripts/local-entry.ts .env`):
 * the action named by the folder local-action was given (TARGET_ACTION_PATH, which it sets), run the way its
 * bundle runs it (its entry src/<name>/index.ts, imported), so a failure is one annotation and exit code 1, as on the runner,
 * instead of an uncaught exception. local-action needs an exported run(); the bundles' index.ts runs at import.
 */
import { basename } from 'node:path'

export async function run(): Promise<void> {
  const target = process.env.TARGET_ACTION_PATH
  if (!target) throw new Error('TARGET_ACTION_PATH is not set: run this entry through @github/local-action')
  const name = basename(target)
  if (!/^[a-z][a-z-]*$/.test(name)) throw new Error(`not an action folder: ${target}`)
  // the action's own entry, which runs it through runAction at import (as its bundle does): an Action or, until
  // every action is converted, a bare main
  await import(`../src/${name}/index.js`)
}
