/**
 * Pictures of the topology: Graphviz (compiled to WebAssembly, loaded only here) lays out the DOT
 * graph as SVG; the HTML page puts that SVG beside the session table and the findings.
 */
import type { Finding } from './checks.js'
import type { Session } from './compute.js'
import { peerAddress } from './render.js'

export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz')
  const graphviz = await Graphviz.load()
  return graphviz.dot(dot, 'svg')
}

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

export function renderHtml(svg: string, sessions: Session[], findings: Finding[], title: string): string {
  // Graphviz's SVG starts with an XML declaration and doctype, which have no place inside HTML.
  const inline = svg.slice(svg.indexOf('<svg'))
  const rows = sessions
    .map((s) => `<tr><td>${[s.node, s.peer, peerAddress(s), s.asNumber, s.type, s.role, s.source].map(escape).join('</td><td>')}</td></tr>`)
    .join('\n')
  const items = findings
    .map((f) => `<li class="${f.severity}"><b>${escape(f.severity)}</b> <code>${escape(f.code)}</code> ${escape(f.objects.join(', '))}<br>${escape(f.message)}<br><i>${escape(f.advice)}</i></li>`)
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
th { background: #eef4fb; }
li { margin-bottom: 0.5em; }
li.error b { color: #c0392b; } li.warning b { color: #b9770e; } li.info b { color: #4a6fa5; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
${inline}
<h2>Sessions</h2>
${sessions.length ? `<table>\n<tr><th>NODE</th><th>PEER</th><th>PEER IP</th><th>AS</th><th>TYPE</th><th>ROLE</th><th>FROM</th></tr>\n${rows}\n</table>` : '<p>No BGP sessions are configured.</p>'}
<h2>Findings</h2>
${findings.length ? `<ul>\n${items}\n</ul>` : '<p>No problems found.</p>'}
</body>
</html>
`
}
