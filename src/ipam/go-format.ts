/**
 * Go's fmt verbs for the numbers `ipam show` prints. Go rounds a decimal tie to the even digit
 * (strconv works on the exact value of the float64); JavaScript's toFixed/toPrecision round it up,
 * so ties are settled here.
 */

/** `%.f` of a percentage (finite, not negative): rounded to an integer, ties to even. */
export function goFormatFixed0(value: number): string {
  const floor = Math.floor(value)
  // Exact for the magnitudes printed here: subtracting the floor loses no bits below 2^52.
  const fraction = value - floor
  return String(fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0) ? floor + 1 : floor)
}

/**
 * `%.5g` of float64(n) for a whole number n (a count of addresses): five significant digits,
 * exponent form from 1e+05 on, trailing zeros dropped, as Go prints `65536`, `1.0486e+06`, `1e+06`.
 */
export function goFormatG5(count: number | bigint): string {
  // float64(n) first, as Go converts the int before formatting; then its exact decimal digits.
  const exact = BigInt(Number(count))
  if (exact === 0n) return '0'
  const negative = exact < 0n
  let digits = (negative ? -exact : exact).toString()
  let exponent = digits.length - 1
  if (digits.length > 5) {
    const kept = BigInt(digits.slice(0, 5))
    const rest = digits.slice(5)
    const half = `5${'0'.repeat(rest.length - 1)}`
    const up = rest > half || (rest === half && kept % 2n === 1n)
    const roundedDigits = (up ? kept + 1n : kept).toString()
    // 99999|5 rounds up to a sixth digit: one more power of ten.
    if (roundedDigits.length > 5) exponent++
    digits = roundedDigits.slice(0, 5)
  }
  digits = digits.replace(/0+$/, '') || '0'
  const sign = negative ? '-' : ''
  if (exponent >= 5) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    return `${sign}${mantissa}e+${String(exponent).padStart(2, '0')}`
  }
  return `${sign}${digits.padEnd(exponent + 1, '0')}`
}
