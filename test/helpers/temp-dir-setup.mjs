// jest globalSetup: the whole test run gets a temporary directory of its own (TMPDIR, which the test workers,
// the bundles and the scripts they start inherit), so that globalTeardown (temp-dir-teardown.mjs) can tell
// exactly what the tests left behind, whatever else runs on the machine at the same time.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  process.env.IMBIT_TEST_TMPDIR_PARENT = process.env.TMPDIR ?? ''
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'imbit-tests-'))
}
