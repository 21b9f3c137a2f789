/**
 * `get -o go-template=...` and `-o go-template-file=PATH`: the results as calicoctl's
 * `[]runtime.Object` run through the template (see go-template/). A template error, or the
 * template file's read error, is the command's error, printed as Go prints it.
 */
import { readFile } from 'node:fs/promises'
import { CommandError } from '../errors.js'
import { goPathError } from '../node/go-errno.js'
import { executeTemplate, TemplateError } from './go-template/index.js'
import { resultsValue } from './go-template/resource-values.js'
import type { KindResult, OutputFormat } from './resources.js'

export async function renderTemplate(format: Extract<OutputFormat, { type: 'go-template' | 'go-template-file' }>, results: KindResult[], globalASNumber: () => Promise<string>): Promise<string> {
  let template: string
  if (format.type === 'go-template') template = format.template
  else {
    try {
      template = await readFile(format.path, 'utf8')
    } catch (err) {
      // os.ReadFile opens a directory fine and fails reading it.
      const op = (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open'
      throw new CommandError(goPathError(op, format.path, err))
    }
  }
  // config "asnumber" reads the datastore once, and only when the template can call it.
  const asNumber = /\bconfig\b/.test(template) ? await globalASNumber() : '64512'
  const data = resultsValue(results.map(({ kind, result }) => ({ kind: kind.kind, result })))
  try {
    return executeTemplate(template, data, () => asNumber)
  } catch (err) {
    if (err instanceof TemplateError) throw new CommandError(err.message)
    throw err
  }
}
