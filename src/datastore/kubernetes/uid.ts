/**
 * libcalico-go's ConvertUID: the v3 uid of a CRD-backed object is the CRD's uid with the bit order
 * of every byte reversed, except bytes 6 and 8 (UUID version and variant), which are kept so the
 * result is still a valid UUID. Applying it twice gives the original back.
 */
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

function reverseBits(byte: number): number {
  let out = 0
  for (let i = 0; i < 8; i++) out |= ((byte >> i) & 1) << (7 - i)
  return out
}

export function convertUid(uid: string): string {
  if (!UUID.test(uid)) throw new Error(`invalid UUID: ${uid}`)
  const bytes = Buffer.from(uid.replace(/-/g, ''), 'hex')
  const converted = bytes.map((b, i) => (i === 6 || i === 8 ? b : reverseBits(b)))
  const hex = Buffer.from(converted).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
