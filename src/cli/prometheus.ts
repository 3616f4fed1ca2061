/** The Prometheus text exposition format (version 0.0.4): HELP and TYPE lines, then the samples, label values escaped. */
import type { MetricFamily } from '../core/metrics';

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function value(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  // Sums of dollar amounts carry float noise (0.7934450000000002): 9 significant digits are plenty.
  return String(Number.isInteger(n) ? n : Number(n.toPrecision(9)));
}

export function exposition(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      out.push(`${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${value(s.value)}`);
    }
  }
  return out.join('\n') + '\n';
}
