import { runAction } from '../common/run.js'
import { swapEnvironments } from './main.js'

await runAction(swapEnvironments(), import.meta.url)
