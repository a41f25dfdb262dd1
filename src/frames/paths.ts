/**
 * Field paths as Glue writes them: `a.b.c`, with backquotes around a name that itself holds a dot
 * (`` `order.id`.x ``).
 */
export function parsePath(path: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '`') {
      const end = path.indexOf('`', i + 1);
      if (end < 0) throw new Error(`Unclosed backquote in path "${path}"`);
      parts.push(path.slice(i + 1, end));
      i = end + 1;
      if (i < path.length && path[i] !== '.') throw new Error(`Expected "." after \`${parts.at(-1)}\` in path "${path}"`);
      i++;
    } else {
      const end = path.indexOf('.', i);
      const stop = end < 0 ? path.length : end;
      parts.push(path.slice(i, stop));
      i = stop + 1;
    }
  }
  if (!parts.length || parts.some((p) => p === '')) throw new Error(`Empty field name in path "${path}"`);
  return parts;
}

/** Render path parts back to a Glue path, quoting names that contain a dot or backquote. */
export function renderPath(parts: string[]): string {
  return parts.map((p) => (/[.`]/.test(p) ? '`' + p.replace(/`/g, '') + '`' : p)).join('.');
}
