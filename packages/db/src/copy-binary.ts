import { Buffer } from 'node:buffer';

/**
 * A reader of PostgreSQL's binary COPY format (PostgreSQL documentation, « COPY », section « Binary
 * Format »): an 11-byte signature, a flags word, a header extension, then per row a 16-bit field
 * count and, per field, a 32-bit length (−1 for NULL) followed by the value in network byte order.
 * Values are decoded column by column: numbers into a Float64Array (NaN for NULL), text into
 * strings, and text from a known list (`{ dictionary }`) straight into its index in the list
 * (Int32Array, −1 for NULL) without creating a string — the fast path for codes repeated on
 * hundreds of thousands of rows.
 */
export type CopyColumnType = 'int2' | 'int4' | 'int8' | 'float8' | 'bool' | 'text' | CopyDictionary;

export interface CopyDictionary {
  readonly dictionary: readonly string[];
}

export type CopyColumn =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'text'; values: (string | null)[] }
  | { kind: 'code'; values: Int32Array };

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

export function decodeCopyBinary(
  bytes: Uint8Array,
  types: readonly CopyColumnType[],
): { rows: number; columns: CopyColumn[] } {
  if (bytes.length < 21 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new Error('format COPY binaire invalide : signature absente');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 11 + 4;
  pos += 4 + view.getInt32(pos);

  // First pass: count the rows, to size the arrays.
  let rows = 0;
  for (let p = pos; ; ) {
    const fields = view.getInt16(p);
    p += 2;
    if (fields === -1) break;
    if (fields !== types.length) {
      throw new Error(`format COPY binaire : ${fields} colonnes au lieu de ${types.length}`);
    }
    for (let f = 0; f < fields; f++) {
      const length = view.getInt32(p);
      p += 4 + Math.max(length, 0);
    }
    rows++;
  }

  const lookups = types.map((type) => (typeof type === 'object' ? dictionaryLookup(type.dictionary) : null));
  const columns: CopyColumn[] = types.map((type) =>
    type === 'text'
      ? { kind: 'text', values: new Array<string | null>(rows).fill(null) }
      : typeof type === 'object'
        ? { kind: 'code', values: new Int32Array(rows) }
        : { kind: 'number', values: new Float64Array(rows) },
  );
  for (let r = 0; r < rows; r++) {
    pos += 2;
    for (let f = 0; f < types.length; f++) {
      const length = view.getInt32(pos);
      pos += 4;
      const column = columns[f]!;
      if (length < 0) {
        if (column.kind === 'number') column.values[r] = Number.NaN;
        else if (column.kind === 'code') column.values[r] = -1;
        continue;
      }
      const type = types[f]!;
      switch (type) {
        case 'int2':
          (column.values as Float64Array)[r] = view.getInt16(pos);
          break;
        case 'int4':
          (column.values as Float64Array)[r] = view.getInt32(pos);
          break;
        case 'int8':
          (column.values as Float64Array)[r] = Number(view.getBigInt64(pos));
          break;
        case 'float8':
          (column.values as Float64Array)[r] = view.getFloat64(pos);
          break;
        case 'bool':
          (column.values as Float64Array)[r] = bytes[pos]!;
          break;
        case 'text':
          (column.values as (string | null)[])[r] = text.toString('utf8', pos, pos + length);
          break;
        default: {
          const code = lookups[f]!(bytes, pos, length);
          if (code < 0) {
            throw new Error(
              `valeur inconnue « ${text.toString('utf8', pos, pos + length)} » (colonne ${f + 1}, ligne ${r + 1})`,
            );
          }
          (column.values as Int32Array)[r] = code;
        }
      }
      pos += length;
    }
  }
  return { rows, columns };
}

/**
 * Index of a UTF-8 byte range in a list of strings, or −1: an FNV-1a hash of the bytes picks the
 * candidates, a byte comparison confirms (so a hash collision never gives a wrong index).
 */
function dictionaryLookup(
  entries: readonly string[],
): (bytes: Uint8Array, start: number, length: number) => number {
  const encoded = entries.map((entry) => Buffer.from(entry, 'utf8'));
  const byHash = new Map<number, number[]>();
  encoded.forEach((entry, i) => {
    const h = fnv1a(entry, 0, entry.length);
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  });
  return (bytes, start, length) => {
    const candidates = byHash.get(fnv1a(bytes, start, length));
    if (!candidates) return -1;
    for (const i of candidates) {
      const entry = encoded[i]!;
      if (entry.length !== length) continue;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (entry[k] !== bytes[start + k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
    return -1;
  };
}

function fnv1a(bytes: Uint8Array, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < start + length; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  return h >>> 0;
}
