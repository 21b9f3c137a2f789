import { CommandError } from '../errors.js'
import type { Column, ColumnContext, KindDefinition } from '../resources/kind.js'
import { orderLikeGo } from '../resources/go-encode.js'
import { API_VERSION, type Resource, type ResourceList } from '../resources/types.js'
import { toGoJson, toGoJsonNested } from './json.js'
import { renderTable } from './table.js'
import { toGoYaml } from './yaml.js'

export type OutputFormat =
  | { type: 'ps' | 'wide' | 'yaml' | 'json' }
  | { type: 'custom-columns'; headings: string[] }
  | { type: 'go-template'; template: string }
  | { type: 'go-template-file'; path: string }

/** Parses `-o`; errors are raised before the datastore is touched, as upstream. */
export function parseOutputFormat(output: string): OutputFormat {
  if (output === 'yml') return { type: 'yaml' }
  if (['ps', 'wide', 'yaml', 'json'].includes(output)) return { type: output as 'ps' }
  // Otherwise a key=value pair, split at the first `=`.
  const equals = output.indexOf('=')
  const key = equals < 0 ? output : output.slice(0, equals)
  const value = equals < 0 ? '' : output.slice(equals + 1)
  switch (key) {
    case 'custom-columns':
      if (value === '') throw new CommandError('need to specify at least one column')
      return { type: 'custom-columns', headings: value.split(',') }
    case 'go-template':
      if (value === '') throw new CommandError('need to specify a template')
      return { type: 'go-template', template: value }
    case 'go-template-file':
      if (value === '') throw new CommandError('need to specify a template file')
      return { type: 'go-template-file', path: value }
    default:
      throw new CommandError(`unrecognized output format '${output}'`)
  }
}

/** A Go template format, which needs the whole result before it prints anything. */
export function isTemplateFormat(format: OutputFormat): format is Extract<OutputFormat, { type: 'go-template' | 'go-template-file' }> {
  return format.type === 'go-template' || format.type === 'go-template-file'
}

export type GetResult = Resource | ResourceList

/** One printed result with the kind that knows its columns and field order. */
export interface KindResult {
  kind: KindDefinition
  result: GetResult
}

function isList(result: GetResult): result is ResourceList {
  return Array.isArray((result as ResourceList).items)
}

/** Go struct order for a resource or a `<Kind>List` (TypeMeta, ListMeta, Items). */
function ordered(kind: KindDefinition, result: GetResult): unknown {
  if (!isList(result)) return orderLikeGo(kind.kind, result)
  return {
    kind: result.kind,
    apiVersion: result.apiVersion,
    metadata: result.metadata,
    items: result.items.map((item) => orderLikeGo(kind.kind, item)),
  }
}

const namespaceColumn: Column = { header: 'NAMESPACE', value: (r) => r.metadata.namespace ?? '' }

/** Table columns; namespaced kinds lead with NAMESPACE when `-n` or `-A` was given, as upstream. */
function columnsFor(kind: KindDefinition, format: OutputFormat, showNamespace: boolean): Column[] {
  const lead = kind.namespaced && showNamespace ? [namespaceColumn] : []
  if (format.type === 'wide') return [...lead, ...kind.columns.wide]
  if (format.type !== 'custom-columns') return [...lead, ...kind.columns.ps]
  const all = [...(kind.namespaced ? [namespaceColumn] : []), ...kind.columns.wide, ...kind.columns.ps, ...(kind.extraColumns ?? [])]
  const known = new Map(all.map((c) => [c.header, c]))
  return format.headings.map((heading) => {
    const column = known.get(heading)
    if (!column) throw new CommandError(`unknown heading ${heading}, valid values are: ${[...known.keys()].join(', ')}`)
    return column
  })
}

export interface RenderOptions {
  /** `-n` or `-A` was given: namespaced kinds get a NAMESPACE column. */
  showNamespace?: boolean
}

/**
 * What `get` prints for its results: one object alone, several as a sequence/array, tables one per
 * result each followed by a blank line. JSON has no trailing newline, like upstream.
 */
export function renderResults(results: KindResult[], format: OutputFormat, context: ColumnContext, options: RenderOptions = {}): string {
  if (format.type === 'yaml' || format.type === 'json') {
    const all = results.map((r) => ordered(r.kind, r.result))
    const value = all.length === 0 ? null : all.length === 1 ? all[0] : all
    return format.type === 'yaml' ? toGoYaml(value) : toGoJson(value, true)
  }
  return results
    .map(({ kind, result }) => {
      const columns = columnsFor(kind, format, Boolean(options.showNamespace))
      const items = isList(result) ? result.items : [result]
      const rows = items.map((item) => columns.map((c) => c.value(item, context)))
      return `${renderTable(columns.map((c) => c.header), rows)}\n`
    })
    .join('')
}

/** Prints one `<Kind>List` as its items arrive: `start` once the list's revision is known, `add` per page, then `end`. */
export interface ListPrinter {
  start(revision: string): void
  add(items: Resource[]): void
  end(): void
}

/** Stands for the items while the text around them is rendered; never a resource's text. */
const ITEMS_MARK = 'calicoctl-ts-items-go-here'

/**
 * What renderResults prints for a single `<Kind>List`, written piece by piece so that neither the
 * whole list nor its whole text is ever held: the text around the items is rendered once with a
 * mark in their place, each item as the list's first item would be. Tables keep only their cells,
 * since column widths depend on every row.
 */
export function listPrinter(kind: KindDefinition, format: OutputFormat, context: ColumnContext, options: RenderOptions, write: (text: string) => void): ListPrinter {
  let revision = ''
  let count = 0
  const list = (items: unknown[]) => ({ kind: `${kind.kind}List`, apiVersion: API_VERSION, metadata: { resourceVersion: revision }, items })
  if (format.type === 'yaml' || format.type === 'json') {
    const yaml = format.type === 'yaml'
    const render = (value: unknown) => (yaml ? toGoYaml(value) : toGoJson(value, true))
    // YAML puts an item after `- ` at the list's indentation; JSON after the array's indentation, comma-separated.
    const [markText, separator] = yaml ? [`- ${ITEMS_MARK}\n`, ''] : [`"${ITEMS_MARK}"`, ',\n    ']
    const itemText = yaml
      ? (item: Resource) => toGoYaml({ items: [orderLikeGo(kind.kind, item)] }).slice('items:\n'.length)
      : (item: Resource) => toGoJsonNested(orderLikeGo(kind.kind, item), 2)
    let tail = ''
    return {
      start(rv) {
        revision = rv
      },
      add(items) {
        for (const item of items) {
          if (count++ === 0) {
            const whole = render(list([ITEMS_MARK]))
            const at = whole.indexOf(markText)
            write(whole.slice(0, at))
            tail = whole.slice(at + markText.length)
          } else {
            write(separator)
          }
          write(itemText(item))
        }
      },
      end() {
        write(count === 0 ? render(list([])) : tail)
      },
    }
  }
  const columns = columnsFor(kind, format, Boolean(options.showNamespace))
  const rows: string[][] = []
  return {
    start(rv) {
      revision = rv
    },
    add(items) {
      for (const item of items) rows.push(columns.map((c) => c.value(item, context)))
    },
    end() {
      write(`${renderTable(columns.map((c) => c.header), rows)}\n`)
    },
  }
}
