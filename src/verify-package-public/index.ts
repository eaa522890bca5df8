import { runAction } from '../common/run.js'
import { verifyPackagePublic } from './main.js'

await runAction(verifyPackagePublic(), import.meta.url)
