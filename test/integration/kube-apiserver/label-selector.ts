/**
 * Kubernetes label selectors (`labelSelector=` of list requests, k8s.io/apimachinery labels.Parse):
 * comma-separated requirements `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>n`, `k<n`. All requirements must hold.
 */
type Labels = Record<string, string>
export type Requirement = (labels: Labels) => boolean

export class SelectorError extends Error {}

const TOKEN = /\s*(!=|==|=|!|,|\(|\)|>|<|[A-Za-z0-9][-A-Za-z0-9_./]*)\s*/y

function tokenize(text: string): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex
    const m = TOKEN.exec(text)
    if (!m) {
      if (text.slice(start).trim() === '') break
      throw new SelectorError(`unable to parse requirement: found '${text[start]}', expected: identifier`)
    }
    tokens.push(m[1])
  }
  return tokens
}

const isIdentifier = (t: string | undefined): t is string => t !== undefined && /^[A-Za-z0-9]/.test(t)

export function parseLabelSelector(text: string): Requirement[] {
  const tokens = tokenize(text)
  const requirements: Requirement[] = []
  let i = 0
  const expectIdentifier = (): string => {
    const t = tokens[i++]
    if (!isIdentifier(t)) throw new SelectorError(`unable to parse requirement: found '${t ?? ''}', expected: identifier`)
    return t
  }
  const valueSet = (): Set<string> => {
    if (tokens[i++] !== '(') throw new SelectorError(`unable to parse requirement: found '${tokens[i - 1] ?? ''}', expected: '('`)
    const values = new Set<string>()
    while (tokens[i] !== ')') {
      if (isIdentifier(tokens[i])) values.add(tokens[i++])
      if (tokens[i] === ',') i++
      else if (tokens[i] !== ')') throw new SelectorError(`unable to parse requirement: found '${tokens[i] ?? ''}', expected: ',', ')' or identifier`)
    }
    i++
    return values
  }
  while (i < tokens.length) {
    if (tokens[i] === '!') {
      i++
      const key = expectIdentifier()
      requirements.push((l) => !(key in l))
    } else {
      const key = expectIdentifier()
      const op = tokens[i]
      if (op === undefined || op === ',') requirements.push((l) => key in l)
      else {
        i++
        if (op === '=' || op === '==') {
          const v = tokens[i] === ',' || tokens[i] === undefined ? '' : expectIdentifier()
          requirements.push((l) => l[key] === v)
        } else if (op === '!=') {
          const v = tokens[i] === ',' || tokens[i] === undefined ? '' : expectIdentifier()
          requirements.push((l) => l[key] !== v)
        } else if (op === 'in' || op === 'notin') {
          const values = valueSet()
          requirements.push(op === 'in' ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]))
        } else if (op === '>' || op === '<') {
          const n = Number(expectIdentifier())
          requirements.push((l) => key in l && /^-?\d+$/.test(l[key]) && (op === '>' ? Number(l[key]) > n : Number(l[key]) < n))
        } else {
          throw new SelectorError(`unable to parse requirement: found '${op}', expected: in, notin, =, ==, !=, gt, lt`)
        }
      }
    }
    if (i < tokens.length) {
      if (tokens[i] !== ',') throw new SelectorError(`unable to parse requirement: found '${tokens[i]}', expected: ','`)
      i++
    }
  }
  return requirements
}

export function matchesLabels(requirements: Requirement[], labels: Labels | undefined): boolean {
  return requirements.every((r) => r(labels ?? {}))
}
