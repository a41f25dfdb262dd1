/**
 * Glue exclude patterns: `*` matches within one path segment, `**` across segments, `?` one character,
 * `[abc]` / `[!abc]` a character class, `{a,b}` alternatives. Patterns match paths relative to the
 * crawl target, '/'-separated (as Glue matches keys relative to the S3 include path).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          // `**/` also matches zero folders, so `**/x` matches `x` at the top level.
          if (glob[i + 2] === '/') { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i++; }
        } else re += '[^/]*';
        break;
      case '?': re += '[^/]'; break;
      case '[': {
        const end = glob.indexOf(']', i + 1);
        if (end < 0) { re += '\\['; break; }
        let body = glob.slice(i + 1, end);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
        break;
      }
      case '{': braceDepth++; re += '(?:'; break;
      case '}': if (braceDepth > 0) { braceDepth--; re += ')'; } else re += '\\}'; break;
      case ',': re += braceDepth > 0 ? '|' : ','; break;
      default: re += c.replace(/[.+^$()|\\/]/g, '\\$&');
    }
  }
  while (braceDepth-- > 0) re += ')';
  return new RegExp(`^${re}$`);
}

/** A compiled set of exclusion globs; also validates them so a crawler definition can report a bad one. */
export class Exclusions {
  private readonly patterns: RegExp[];

  constructor(readonly globs: readonly string[]) {
    this.patterns = globs.map((g) => {
      if (!g.trim()) throw new Error('An exclusion pattern is empty');
      return globToRegExp(g.trim().replace(/^\/+/, ''));
    });
  }

  /** Whether a file (relative path) is excluded; a pattern naming a folder excludes everything under it. */
  excludes(path: string): boolean {
    const clean = path.replace(/^\/+/, '');
    if (this.patterns.some((p) => p.test(clean))) return true;
    const parts = clean.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (this.patterns.some((p) => p.test(folder) || p.test(folder + '/'))) return true;
    }
    return false;
  }
}
