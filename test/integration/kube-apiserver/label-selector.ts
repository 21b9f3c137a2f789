/**
 * Kubernetes label selectors (`labelSelector=` of list requests), read as k8s.io/apimachinery's
 * labels.Parse reads them: its lexer (whitespace separates, `in`/`notin` are keywords except where a
 * value is expected), its recursive descent, the label key and value rules each requirement is
 * checked against, and the texts of its errors, which kube-apiserver returns as a 400.
 */
type Labels = Record<string, string>
export type Requirement = (labels: Labels) => boolean

export class SelectorError extends Error {}

type Token = 'end' | 'identifier' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<'

interface Item {
  token: Token
  literal: string
}

const SYMBOLS = new Set(['!=', '==', '=', '!', '(', ')', ',', '>', '<'])
const isSpecial = (ch: string) => '=!(),><'.includes(ch)
const isWhitespace = (ch: string) => ' \t\r\n'.includes(ch)

function scan(text: string): Item[] {
  const items: Item[] = []
  let pos = 0
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos])) pos++
    if (pos >= text.length) {
      items.push({ token: 'end', literal: '' })
      return items
    }
    const start = pos
    if (isSpecial(text[pos])) {
      // The longest symbol: `!=` and `==` over `!` and `=`; every special character is a symbol alone.
      while (pos < text.length && isSpecial(text[pos]) && SYMBOLS.has(text.slice(start, pos + 1))) pos++
    } else {
      while (pos < text.length && !isSpecial(text[pos]) && !isWhitespace(text[pos])) pos++
    }
    const literal = text.slice(start, pos)
    const token: Token = SYMBOLS.has(literal) || literal === 'in' || literal === 'notin' ? (literal as Token) : 'identifier'
    items.push({ token, literal })
  }
}

const LABEL_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const LABEL = new RegExp(`^${LABEL_FORMAT}$`)
const DNS1123_SUBDOMAIN_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`)

/** apimachinery's RegexError: the rule, examples, and the regex. */
const regexError = (rule: string, format: string, ...examples: string[]) => `${rule} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`

const KEY_RULE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

/** content.IsLabelKey: an optional DNS subdomain prefix and `/`, then a name of at most 63 bytes. */
function labelKeyProblems(key: string): string[] {
  const problems: string[] = []
  const parts = key.split('/')
  if (parts.length > 2)
    return [`a valid label key ${regexError(KEY_RULE, LABEL_FORMAT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  const name = parts[parts.length - 1]
  if (parts.length === 2) {
    const prefix = parts[0]
    if (prefix === '') problems.push('prefix part must be non-empty')
    else {
      if (Buffer.byteLength(prefix) > 253) problems.push('prefix part must be no more than 253 bytes')
      if (!DNS1123_SUBDOMAIN.test(prefix))
        problems.push(
          `prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FORMAT, 'example.com')}`,
        )
    }
  }
  if (name === '') problems.push('name part must be non-empty')
  else if (Buffer.byteLength(name) > 63) problems.push('name part must be no more than 63 bytes')
  if (!LABEL.test(name)) problems.push(`name part ${regexError(KEY_RULE, LABEL_FORMAT, 'MyName', 'my.name', '123-abc')}`)
  return problems
}

/** content.IsLabelValue: empty, or a label name of at most 63 bytes. */
function labelValueProblems(value: string): string[] {
  const problems: string[] = []
  if (Buffer.byteLength(value) > 63) problems.push('must be no more than 63 bytes')
  if (value !== '' && !LABEL.test(value))
    problems.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        `(${LABEL_FORMAT})?`,
        'MyValue',
        'my_value',
        '12345',
      ),
    )
  return problems
}

/** field.Invalid's text for a string value (Go's %q, close enough for label text). */
const invalid = (path: string, value: string, detail: string) => `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`

/** An aggregate of field errors: one alone, or several (each text once) in brackets. */
function aggregate(errors: string[]): string | undefined {
  const unique = [...new Set(errors)]
  if (unique.length === 0) return undefined
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}

type Operator = 'exists' | '!' | 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt'

const INT64 = /^[+-]?\d+$/
const MIN_INT64 = -(2n ** 63n)
const MAX_INT64 = 2n ** 63n - 1n
/** strconv.ParseInt(s, 10, 64). */
function parseInt64(text: string): bigint | undefined {
  if (!INT64.test(text)) return undefined
  const value = BigInt(text)
  return value >= MIN_INT64 && value <= MAX_INT64 ? value : undefined
}

/** labels.NewRequirement: the values checked against the operator and as label values. */
function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  const errors: string[] = []
  if (op === 'gt' || op === 'lt')
    values.forEach((v, i) => {
      if (parseInt64(v) === undefined) errors.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    })
  values.forEach((v, i) => {
    const problems = labelValueProblems(v)
    if (problems.length) errors.push(invalid(`values[${i}][${key}]`, v, problems.join('; ')))
  })
  const failed = aggregate(errors)
  if (failed) throw new SelectorError(failed)
  const has = (l: Labels) => Object.hasOwn(l, key)
  switch (op) {
    case 'exists':
      return has
    case '!':
      return (l) => !has(l)
    case 'in':
    case '=':
    case '==':
      return (l) => has(l) && values.includes(l[key])
    case 'notin':
    case '!=':
      return (l) => !has(l) || !values.includes(l[key])
    default: {
      const bound = parseInt64(values[0]) as bigint
      return (l) => {
        const value = has(l) ? parseInt64(l[key]) : undefined
        return value !== undefined && (op === 'gt' ? value > bound : value < bound)
      }
    }
  }
}

const OPERATORS: Partial<Record<Token, Operator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' }

class Parser {
  private position = 0

  constructor(private readonly items: Item[]) {}

  /** Where a value is expected, `in` and `notin` are plain identifiers. */
  private peek(values: boolean): Item {
    const item = this.items[this.position]
    return values && (item.token === 'in' || item.token === 'notin') ? { token: 'identifier', literal: item.literal } : item
  }

  private next(values: boolean): Item {
    const item = this.peek(values)
    this.position++
    return item
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = []
    for (;;) {
      const { token, literal } = this.peek(true)
      if (token === 'end') return requirements
      if (token !== 'identifier' && token !== '!') throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`)
      try {
        requirements.push(this.requirement())
      } catch (err) {
        throw new SelectorError(`unable to parse requirement: ${(err as Error).message}`)
      }
      const after = this.next(true)
      if (after.token === 'end') return requirements
      if (after.token !== ',') throw new SelectorError(`found '${after.literal}', expected: ',' or 'end of string'`)
      const following = this.peek(true)
      if (following.token !== 'identifier' && following.token !== '!') throw new SelectorError(`found '${following.literal}', expected: identifier after ','`)
    }
  }

  private requirement(): Requirement {
    let item = this.next(true)
    let op: Operator | undefined
    if (item.token === '!') {
      op = '!'
      item = this.next(true)
    }
    if (item.token !== 'identifier') throw new SelectorError(`found '${item.literal}', expected: identifier`)
    const key = item.literal
    const problems = labelKeyProblems(key)
    // The parser checks the key with no field path, which Go prints as <nil>.
    if (problems.length) throw new SelectorError(invalid('<nil>', key, problems.join('; ')))
    const ahead = this.peek(true).token
    if (op === undefined && (ahead === 'end' || ahead === ',')) op = 'exists'
    if (op !== undefined) return newRequirement(key, op, [])
    const operator = this.next(false)
    op = OPERATORS[operator.token]
    if (!op) throw new SelectorError(`found '${operator.literal}', expected: in, notin, =, ==, !=, gt, lt`)
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue()
    return newRequirement(key, op, [...values].sort())
  }

  private valueSet(): Set<string> {
    const open = this.next(true)
    if (open.token !== '(') throw new SelectorError(`found '${open.literal}' expected: '('`)
    const first = this.peek(true)
    if (first.token === ')') {
      this.position++
      return new Set([''])
    }
    if (first.token !== 'identifier' && first.token !== ',') throw new SelectorError(`found '${first.literal}', expected: ',', ')' or identifier`)
    const values = this.identifiers()
    // Go reports the first value here, not what it found.
    if (this.next(true).token !== ')') throw new SelectorError(`found '${first.literal}', expected: ')'`)
    return values
  }

  /** Comma-separated values up to `)`, where an empty place is the empty value. */
  private identifiers(): Set<string> {
    const values = new Set<string>()
    for (;;) {
      const item = this.next(true)
      if (item.token === 'identifier') {
        values.add(item.literal)
        const ahead = this.peek(true)
        if (ahead.token === ')') return values
        if (ahead.token !== ',') throw new SelectorError(`found '${ahead.literal}', expected: ',' or ')'`)
      } else if (item.token === ',') {
        if (values.size === 0) values.add('')
        const ahead = this.peek(true).token
        if (ahead === ')') {
          values.add('')
          return values
        }
        if (ahead === ',') values.add('')
      } else {
        throw new SelectorError(`found '${item.literal}', expected: ',', or identifier`)
      }
    }
  }

  private exactValue(): Set<string> {
    const ahead = this.peek(true).token
    if (ahead === 'end' || ahead === ',') return new Set([''])
    const item = this.next(true)
    if (item.token !== 'identifier') throw new SelectorError(`found '${item.literal}', expected: identifier`)
    return new Set([item.literal])
  }
}

export function parseLabelSelector(text: string): Requirement[] {
  return new Parser(scan(text)).parse()
}

export function matchesLabels(requirements: Requirement[], labels: Labels | undefined): boolean {
  return requirements.every((r) => r(labels ?? {}))
}
