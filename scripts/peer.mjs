// Runs the peer @gutenye/ocr-node (same PP-OCRv4 models, same ONNX Runtime) over a folder of
// labelled photos, one at a time, and reports its throughput, latency, peak RSS and accuracy.
// The peer's text goes through `datalid parse`, so the comparison is of the OCR stages only:
// both sides use the same date logic. Started by scripts/peer.sh; not part of CI.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import Ocr from '@gutenye/ocr-node'

const [dir, labelsPath, datalid] = process.argv.slice(2)
const labels = new Map()
for (const line of readFileSync(labelsPath, 'utf8').split('\n').slice(1)) {
  const [file, expiry] = line.split(',')
  if (file) labels.set(file, expiry)
}
const files = readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f) && labels.has(f)).sort()

const ocr = await Ocr.create()
await ocr.detect(join(dir, files[0])) // warm-up, as datalid bench does
const rows = []
const t0 = performance.now()
for (const f of files) {
  const s = performance.now()
  let text = ''
  try {
    const lines = await ocr.detect(join(dir, f))
    text = lines.map((l) => l.text).join(' / ')
  } catch (e) {
    text = ''
    console.error(`peer: ${f}: ${e.message}`)
  }
  rows.push({ file: f, ms: performance.now() - s, text })
}
const wall = (performance.now() - t0) / 1000

// One line per photo into datalid's date logic.
const parsed = spawnSync(datalid, ['parse', '--format', 'jsonl'], {
  input: rows.map((r) => r.text.replaceAll('\n', ' ') || '-').join('\n') + '\n',
  encoding: 'utf8',
})
if (parsed.status !== 0) throw new Error(`datalid parse failed: ${parsed.stderr}`)
const answers = parsed.stdout.trim().split('\n').map((l) => JSON.parse(l))
let correct = 0
rows.forEach((r, i) => {
  const want = labels.get(r.file)
  const got = answers[i]?.best_date?.date ?? '-'
  r.got = got
  r.ok = got !== '-' && (want.length === 7 ? got.startsWith(want) : got === want)
  if (r.ok) correct++
})
const ms = rows.map((r) => r.ms).sort((a, b) => a - b)
const pct = (p) => ms[Math.min(ms.length - 1, Math.round((p / 100) * (ms.length - 1)))]
for (const r of rows) {
  console.log(`${r.file.padEnd(28)} ${r.ok ? 'right' : 'WRONG'} ${r.got.padEnd(10)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.text.slice(0, 60)}`)
}
console.log(JSON.stringify({
  peer: '@gutenye/ocr-node',
  photos: rows.length,
  correct,
  exact_match: correct / rows.length,
  throughput_ips: rows.length / wall,
  latency_ms: { mean: ms.reduce((a, b) => a + b, 0) / ms.length, p50: pct(50), p95: pct(95), max: ms[ms.length - 1] },
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}))
