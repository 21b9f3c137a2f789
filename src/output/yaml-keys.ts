// The order in which go-yaml v2 (sorter.go, keyList.Less) writes the keys of a
// map, which is the order of every mapping in calicoctl's YAML: letters sort
// before any other character, a run of digits compares by its numeric value
// ("a9" < "a10"), anything else by code point.

/** go-yaml's keyList.Less for string keys, as a sort comparator. */
export function compareKeys(a: string, b: string): number {
  if (keyLess(a, b)) return -1
  return keyLess(b, a) ? 1 : 0
}

const LETTER = /^\p{L}$/u
const DIGIT = /^\p{Nd}$/u

function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a)
  const br = Array.from(b)
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = LETTER.test(ar[i])
    const bl = LETTER.test(br[i])
    if (al && bl) return codePoint(ar[i]) < codePoint(br[i])
    if (al || bl) return bl
    let an = 0n
    let bn = 0n
    if (ar[i] === '0' || br[i] === '0') {
      // A zero that continues a non-zero number counts as a digit of it.
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n
          bn = 1n
          break
        }
      }
    }
    let ai = i
    for (; ai < ar.length && DIGIT.test(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(codePoint(ar[ai]) - 48))
    let bi = i
    for (; bi < br.length && DIGIT.test(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(codePoint(br[bi]) - 48))
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return codePoint(ar[i]) < codePoint(br[i])
  }
  return ar.length < br.length
}

function codePoint(c: string): number {
  return c.codePointAt(0) as number
}
