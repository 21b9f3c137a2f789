import { inflateSync } from 'node:zlib'

/**
 * Counts the pixels of a PNG that are not (near) white, so that a test can tell a screenshot with
 * a drawing from a blank page. Reads the 8-bit, non-interlaced greyscale, RGB and RGBA images a
 * browser writes; anything else is an error rather than a guess.
 */
export function countInkedPixels(png: Buffer): { width: number; height: number; inked: number } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG')
  let offset = 8
  let header: Buffer | undefined
  const data: Buffer[] = []
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const body = png.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') header = body
    else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') break
    offset += 12 + length
  }
  if (!header) throw new Error('PNG without IHDR')
  const width = header.readUInt32BE(0)
  const height = header.readUInt32BE(4)
  const [depth, colorType, , , interlace] = header.subarray(8, 13)
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType]
  if (depth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`)

  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels
  let previous = Buffer.alloc(stride)
  let inked = 0
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)))
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? line[i - channels] : 0
      const up = previous[i]
      const upLeft = i >= channels ? previous[i - channels] : 0
      let predictor = 0
      if (filter === 1) predictor = left
      else if (filter === 2) predictor = up
      else if (filter === 3) predictor = (left + up) >> 1
      else if (filter === 4) {
        const p = left + up - upLeft
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)]
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on row ${y}`)
      line[i] = (line[i] + predictor) & 0xff
    }
    for (let x = 0; x < width; x++) {
      const px = line.subarray(x * channels, (x + 1) * channels)
      const colour = channels >= 3 ? [px[0], px[1], px[2]] : [px[0]]
      const opaque = channels === 4 ? px[3] > 0 : channels === 2 ? px[1] > 0 : true
      if (opaque && colour.some((c) => c < 240)) inked++
    }
    previous = line
  }
  return { width, height, inked }
}
