// `npm run local -- <action> [env-file]`: runs an action's TypeScript entry with @github/local-action
// (fetched by npx on first use), reading inputs and endpoints from an .env file (default .env, see .env.example).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const [name, envFile = '.env'] = process.argv.slice(2)
const actions = readdirSync('actions')
if (!name || !actions.includes(name)) {
  console.error(`usage: npm run local -- <action> [env-file]\nactions: ${actions.join(', ')}`)
  process.exit(2)
}
if (!existsSync(envFile)) {
  console.error(`${envFile} not found: copy .env.example to .env and start the sandbox (npm run sandbox).`)
  process.exit(2)
}
// local-action resolves the entry relative to the action's folder
const result = spawnSync(
  'npx',
  ['--yes', '@github/local-action', 'run', `actions/${name}`, `../../src/${name}/main.ts`, envFile],
  { stdio: 'inherit' }
)
process.exit(result.status ?? 1)
