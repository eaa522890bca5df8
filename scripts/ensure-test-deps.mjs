// `npm test` runs this first (pretest): the end-to-end tests push to a real registry, Debian's
// `docker-registry`. On a fresh Debian machine where we are root, install it; otherwise say how.
// The registry test itself still fails loudly when the binary is missing: it is never skipped.
import { execFileSync, spawnSync } from 'node:child_process'

const found = spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' })
if (found.status === 0) process.exit(0)

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0
if (isRoot && hasApt && process.env.IMBIT_NO_APT !== '1') {
  console.log('pretest: installing Debian package docker-registry (a real registry for the e2e tests)…')
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'docker-registry'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    })
    process.exit(0)
  } catch {
    console.error('pretest: could not install docker-registry; the registry e2e test will fail.')
  }
} else {
  console.error(
    'pretest: docker-registry is not installed; the registry e2e test will fail. Install it with: sudo apt-get install docker-registry'
  )
}
