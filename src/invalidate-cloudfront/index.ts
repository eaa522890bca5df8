import { runAction } from '../common/run.js'
import { invalidateCloudFront } from './main.js'

await runAction(invalidateCloudFront(), import.meta.url)
