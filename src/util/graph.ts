/**
 * A cycle in a directed graph, as the nodes around it with the first repeated at the end (`[a, b, a]`), or null.
 * `starts` are the nodes to search from; `next` gives a node's successors (unknown nodes have none).
 */
export function findCycle<T>(starts: Iterable<T>, next: (node: T) => Iterable<T>): T[] | null {
  const state = new Map<T, 'open' | 'done'>();
  const stack: T[] = [];
  const visit = (n: T): T[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of next(n)) {
      const found = visit(m);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of starts) {
    const found = visit(n);
    if (found) return found;
  }
  return null;
}
