/**
 * `npm run sandbox -- --scenario NAME`: starts the AWS sandbox, prints the endpoints and the variables to
 * export, then logs every call until Ctrl-C.
 *
 *   --scenario NAME      one of the built-in scenarios (default: default); --list shows them
 *   --scenario-file F    a scenario as JSON (SandboxScenario)
 *   --port N, --s3-port N  fixed ports (default: free ones), e.g. to match an .env file
 *   --quiet              do not log calls
 *
 * Stops, with both servers, on Ctrl-C, SIGTERM or SIGHUP, also when they are sent to the npm process.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { scenarios, startSandbox, type RequestLogEntry, type SandboxScenario } from './index.js'

function usage(): string {
  const names = Object.values(scenarios)
    .map(s => `  ${s.name.padEnd(18)} ${s.description ?? ''}`)
    .join('\n')
  return `Usage: npm run sandbox -- [--scenario NAME | --scenario-file FILE] [--port N] [--s3-port N] [--quiet]\n\nScenarios:\n${names}`
}

function port(value: string | undefined, name: string): number {
  if (value === undefined) return 0
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`--${name} must be a port number (0-65535), got "${value}"`)
  return n
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([k]) => k !== 'body')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
}

function formatEntry(e: RequestLogEntry): string {
  const time = new Date(e.time).toISOString().slice(11, 23)
  const outcome = e.fault
    ? `${e.status || '-'} ${e.fault.toUpperCase()}`
    : `${e.status}${e.errorCode ? ` ${e.errorCode}` : ''}`
  const params = formatParams(e.params)
  return `${time} ${e.service.padEnd(16)} ${e.region.padEnd(14)} ${e.operation} ${params.length > 160 ? `${params.slice(0, 157)}...` : params} → ${outcome}`
}

function describeScenario(scenario: SandboxScenario): string {
  const lines: string[] = []
  for (const app of scenario.applications ?? []) {
    const envs = (app.environments ?? [])
      .map(
        e =>
          `${e.name} (${e.busyForMs !== undefined ? 'Updating' : (e.status ?? 'Ready')}, ${e.versionLabel ?? 'no version'}, updates: ${e.update?.outcome ?? 'healthy'})`
      )
      .join(', ')
    lines.push(`  ${app.region ?? 'eu-central-1'}  ${app.name}: ${envs || 'no environments'}`)
  }
  for (const d of scenario.distributions ?? []) {
    lines.push(`  CloudFront    ${d.id}: ${(d.aliases ?? []).join(', ') || 'no aliases'}`)
  }
  if (scenario.faults) lines.push(`  Faults        ${JSON.stringify(scenario.faults)}`)
  return lines.join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'default' },
      'scenario-file': { type: 'string' },
      port: { type: 'string' },
      's3-port': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help || values.list) {
    console.log(usage())
    return
  }
  let scenario: SandboxScenario
  if (values['scenario-file']) {
    scenario = JSON.parse(readFileSync(values['scenario-file'], 'utf8')) as SandboxScenario
  } else {
    const found = scenarios[values.scenario]
    if (!found) {
      console.error(`Unknown scenario "${values.scenario}".\n\n${usage()}`)
      process.exitCode = 1
      return
    }
    scenario = found
  }
  const box = await startSandbox(scenario, {
    port: port(values.port, 'port'),
    s3Port: port(values['s3-port'], 's3-port'),
    onRequest: values.quiet ? undefined : entry => console.log(formatEntry(entry))
  })
  console.log(
    `AWS sandbox, scenario "${scenario.name}"${scenario.description ? `: ${scenario.description}` : ''}`
  )
  console.log(`  Elastic Beanstalk + CloudFront  ${box.url}`)
  console.log(`  S3 (s3rver)                     ${box.s3Url}`)
  console.log(describeScenario(scenario))
  console.log('\nIn another shell:\n')
  for (const [name, value] of Object.entries(box.env)) console.log(`export ${name}=${value}`)
  console.log('\nDummy credentials only: the sandbox is on 127.0.0.1 and never talks to AWS.')
  console.log(values.quiet ? 'Running (Ctrl-C to stop).' : 'Calls (Ctrl-C to stop):')
  // Ctrl-C, a kill, a closed terminal (npm run sandbox passes these on through scripts/node24.mjs): stop the
  // servers, once, however many signals arrive while they close
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the sandbox.`)
    void box.close().then(() => process.exit(0))
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
