// The QR code Stytch returns with a new TOTP registration (platform/login/totp.ts), loaded on first
// use: qrcode-generator for the modules, pngjs for the PNG.
import { PNG } from 'pngjs'
import qrcode from 'qrcode-generator'

/** The otpauth:// URI as a 200x200 PNG data URL, written as Stytch writes it (`base64, `). */
export function qrCode(text: string): string {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const modules = qr.getModuleCount()
  const size = 200
  const scale = size / (modules + 8) // a quiet zone of four modules on each side
  const png = new PNG({ width: size, height: size })
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const row = Math.floor(y / scale) - 4
      const col = Math.floor(x / scale) - 4
      const dark = row >= 0 && col >= 0 && row < modules && col < modules && qr.isDark(row, col)
      const i = (y * size + x) * 4
      png.data.fill(dark ? 0 : 255, i, i + 3)
      png.data[i + 3] = 255
    }
  }
  return `data:image/png;base64, ${PNG.sync.write(png).toString('base64')}`
}
