/**
 * The transform reference in docs/jobs.md, generated from the registry (`npm run docs` writes it; a test fails
 * when the file and the registry disagree), so a kind's docs live in its own file.
 */
import { TRANSFORMS } from './index';

/** Where the generated reference sits in docs/jobs.md. */
export const DOCS_START = '<!-- transforms:start (generated from src/frames/transforms by `npm run docs`) -->';
export const DOCS_END = '<!-- transforms:end -->';

/** The reference of every transform kind as Markdown, grouped as the palette groups them. */
export function transformsMarkdown(): string {
  const groups = [...new Set(TRANSFORMS.map((d) => d.group))];
  const out: string[] = [DOCS_START, '', `${TRANSFORMS.length} kinds. For each: what the tab (DuckDB-WASM) does, how the DuckDB SQL export, the PySpark export and the AWS Glue script run it, and where they differ. Every example runs in the parity suites on all three engines.`, ''];
  for (const group of groups) {
    out.push(`### ${group}`, '');
    for (const d of TRANSFORMS.filter((x) => x.group === group)) {
      const e = d.examples[0];
      out.push(`#### ${d.kind}`, '', d.help, '');
      out.push(`- **Tab:** ${d.docs.tab}`);
      out.push(`- **DuckDB SQL:** ${d.docs.duckdb ?? 'the same SQL the tab runs.'}`);
      out.push(`- **PySpark:** ${d.spark ? d.docs.spark : `not exported yet (${d.docs.spark})`}`);
      out.push(`- **AWS Glue:** ${d.docs.glue}`);
      if (d.docs.differences) out.push(`- **Differences:** ${d.docs.differences}`);
      if (d.canFail) out.push('- Records can fail: `stageThreshold` / `totalThreshold` apply.');
      if (d.side) out.push(`- Reads a second input (\`${d.side}\`).`);
      if (e) out.push(`- **Example** (${e.title}, on \`${e.input.replace(/^node_modules\/vega-datasets\/data\//, 'vega-datasets/')}\`${e.other ? ` and \`${e.other.replace(/^node_modules\/vega-datasets\/data\//, 'vega-datasets/')}\`` : ''}): \`${JSON.stringify(e.params)}\``);
      out.push('');
    }
  }
  out.push(DOCS_END);
  return out.join('\n');
}

/** docs/jobs.md with its generated section replaced by the registry's (appended under `## Transforms` when absent). */
export function withTransformsDocs(markdown: string): string {
  const a = markdown.indexOf(DOCS_START);
  const b = markdown.indexOf(DOCS_END);
  if (a >= 0 && b > a) return markdown.slice(0, a) + transformsMarkdown() + markdown.slice(b + DOCS_END.length);
  return `${markdown.trimEnd()}\n\n## Transforms\n\n${transformsMarkdown()}\n`;
}
