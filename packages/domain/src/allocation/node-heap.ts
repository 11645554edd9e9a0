/**
 * Binary min-heap of integer nodes keyed by numbers, for the shortest-path searches of the matching
 * and of the repair. Ties are broken by the smaller node, so results do not depend on insertion
 * order (the engine is deterministic). Typed arrays, grown by doubling.
 */
export class NodeHeap {
  private keys: Float64Array;
  private nodes: Int32Array;
  size = 0;
  /** Key of the node returned by the last pop. */
  lastKey = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
      const n = new Int32Array(this.nodes.length * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    const keys = this.keys;
    const nodes = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk < key || (pk === key && nodes[p]! < node)) break;
      keys[i] = pk;
      nodes[i] = nodes[p]!;
      i = p;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  /** Removes and returns the node with the smallest key (its key in `lastKey`); the heap must not be empty. */
  pop(): number {
    const keys = this.keys;
    const nodes = this.nodes;
    const topNode = nodes[0]!;
    this.lastKey = keys[0]!;
    const n = --this.size;
    const key = keys[n]!;
    const node = nodes[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (keys[c + 1]! < keys[c]! || (keys[c + 1] === keys[c] && nodes[c + 1]! < nodes[c]!)))
        c++;
      if (keys[c]! > key || (keys[c] === key && nodes[c]! > node)) break;
      keys[i] = keys[c]!;
      nodes[i] = nodes[c]!;
      i = c;
    }
    keys[i] = key;
    nodes[i] = node;
    return topNode;
  }
}
