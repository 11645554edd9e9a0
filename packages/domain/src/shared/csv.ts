/**
 * CSV reading without I/O: an incremental parser that takes text in chunks (so a caller can stream a
 * file of millions of rows without holding it as one string) and yields records with their line
 * number. RFC 4180 quoting (`"a ""b"""`, separators and line breaks inside quotes); `\n` or `\r\n`
 * line ends; a UTF-8 byte-order mark at the start is dropped.
 */

export interface CsvRecord {
  /** 1-based physical line on which the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** A quote seen inside a quoted field: either the closing quote or the first of an escaped pair. */
  private quotePending = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  private lastWasCr = false;

  constructor(private readonly separator = ',') {
    if (separator.length !== 1 || separator === '"' || separator === '\n') {
      throw new Error(`Séparateur CSV invalide : ${JSON.stringify(separator)}`);
    }
  }

  /** Parses a chunk and calls `onRecord` for each complete record. */
  push(chunk: string, onRecord: (record: CsvRecord) => void): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const sep = this.separator;
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.lastWasCr) {
        this.lastWasCr = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
          // fall through: c is handled as outside quotes
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
          continue;
        }
      }
      if (c === sep) {
        this.fields.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') this.lastWasCr = true;
        this.endRecord(onRecord);
        this.line++;
        this.recordLine = this.line;
      } else if (c === '"' && this.field === '') {
        this.inQuotes = true;
      } else {
        this.field += c;
      }
    }
  }

  /** Flushes the last record (a file need not end with a line break). */
  end(onRecord: (record: CsvRecord) => void): void {
    if (this.inQuotes && !this.quotePending) {
      throw new CsvSyntaxError(this.recordLine, `ligne ${this.recordLine} : guillemet ouvert jamais fermé`);
    }
    this.inQuotes = false;
    this.quotePending = false;
    this.endRecord(onRecord);
  }

  private endRecord(onRecord: (record: CsvRecord) => void): void {
    if (this.fields.length === 0 && this.field === '') return; // blank line
    this.fields.push(this.field);
    onRecord({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = '';
  }
}

/** Parses a whole CSV text into records (header included). */
export function parseCsv(text: string, separator = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser(separator);
  const push = (r: CsvRecord) => records.push(r);
  parser.push(text, push);
  parser.end(push);
  return records;
}

/** Quotes a field for output when it needs it. */
export function csvField(value: string | number | boolean | null | undefined, separator = ','): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return s.includes(separator) || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s;
}

export function csvLine(
  values: readonly (string | number | boolean | null | undefined)[],
  separator = ',',
): string {
  return values.map((v) => csvField(v, separator)).join(separator);
}
