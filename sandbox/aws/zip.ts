/** Reads the names of a zip's entries for real (yauzl), as Beanstalk does when it processes a version. */
import yauzl from 'yauzl'

export async function zipEntryNames(data: Buffer): Promise<string[]> {
  return await new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'))
      const names: string[] = []
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName)
        zip.readEntry()
      })
      zip.on('end', () => resolve(names))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

/** Why Beanstalk's Docker platform would refuse this bundle, or undefined when it is deployable. */
export async function dockerBundleProblem(data: Buffer): Promise<string | undefined> {
  let names: string[]
  try {
    names = await zipEntryNames(data)
  } catch {
    return 'The source bundle is not a valid zip file.'
  }
  if (names.includes('docker-compose.yml') || names.includes('Dockerrun.aws.json')) return undefined
  return 'The source bundle has neither docker-compose.yml nor Dockerrun.aws.json at its root.'
}
