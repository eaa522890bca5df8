/**
 * `npm run registry -- [--visibility public|private|internal] [--multi-arch] [--port N]`: the GHCR stand-in
 * (registry with GitHub's anonymous token flow, and the packages API) on 127.0.0.1, serving imbit/demo-app, for
 * trying verify-package-public by hand. Prints the variables and the commands; stops on Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util'
import { startGhcrStub, type StubVisibility } from '../sandbox/index.js'

const VISIBILITIES = ['public', 'private', 'internal']

function usage(): string {
  return [
    'Usage: npm run registry -- [--visibility public|private|internal] [--multi-arch] [--port N]',
    '',
    'A GHCR stand-in on 127.0.0.1 serving imbit/demo-app (tags latest, sha-d3e0d3e) with that visibility,',
    'and the GitHub packages API for it, to run verify-package-public against.'
  ].join('\n')
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      visibility: { type: 'string', default: 'public' },
      'multi-arch': { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    console.log(usage())
    return 0
  }
  if (!VISIBILITIES.includes(values.visibility)) {
    console.error(
      `--visibility must be one of ${VISIBILITIES.join(', ')}, got "${values.visibility}".\n\n${usage()}`
    )
    return 2
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0-65535), got "${values.port}".`)
    return 2
  }
  const stub = await startGhcrStub({
    port,
    packages: [
      {
        owner: 'imbit',
        name: 'demo-app',
        visibility: values.visibility as StubVisibility,
        tags: ['latest', 'sha-d3e0d3e'],
        multiArch: values['multi-arch']
      }
    ]
  })
  const image = `${stub.registry}/imbit/demo-app:latest`
  console.log(
    `GHCR stand-in: imbit/demo-app is ${values.visibility}${values['multi-arch'] ? ' (multi-arch)' : ''}`
  )
  console.log(`  registry      ${stub.registry} (plain HTTP: loopback)`)
  console.log(`  packages API  ${stub.apiUrl}`)
  console.log(`  digest        ${stub.digestOf('imbit/demo-app', 'latest')} (imbit/demo-app:latest)`)
  console.log('\nIn another shell, from the repository root:\n')
  console.log(`export GITHUB_API_URL=${stub.apiUrl}`)
  console.log(`export INPUT_IMAGE=${image}`)
  console.log('export INPUT_TOKEN=local-token-not-a-secret')
  console.log('export INPUT_TIMEOUT=10s')
  console.log(`export GITHUB_OUTPUT=/dev/null GITHUB_STEP_SUMMARY=/dev/null`)
  console.log('node dist/verify-package-public/index.js')
  console.log(
    '\n(or, all in one: npm run local -- verify-package-public --scenario public|private|internal|missing)'
  )
  console.log('Running (Ctrl-C to stop).')
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      console.log(`\n${signal}: stopping the GHCR stand-in.`)
      void stub.close().then(() => process.exit(0))
    })
  }
  return 0
}

main().then(
  code => {
    if (code !== 0) process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  }
)
