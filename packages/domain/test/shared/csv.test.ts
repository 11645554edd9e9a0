import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError, csvLine, parseCsv } from '../../src/shared/csv.ts';

describe('CsvParser', () => {
  it('reads quoted fields with separators, escaped quotes and line breaks, keeping line numbers', () => {
    const text = '\uFEFFa,b\r\n"x,1","say ""hi"""\n"multi\nline",2\n\nlast,3';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x,1', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 6, fields: ['last', '3'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'a;b\n"1;2";"3"""\r\n4;5\n';
    const whole = parseCsv(text, ';');
    for (let size = 1; size <= text.length; size++) {
      const out: unknown[] = [];
      const p = new CsvParser(';');
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size), (r) => out.push(r));
      p.end((r) => out.push(r));
      expect(out).toEqual(whole);
    }
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,,c\n,,\n')[1]!.fields).toEqual(['', '', '']);
  });

  it('refuses an unterminated quote and names the line', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\nb\n"open')).toThrow(/ligne 3/);
  });

  it('writes fields back so that they read the same', () => {
    const values = ['plain', 'with,comma', 'with "quote"', 'two\nlines', ''];
    expect(parseCsv(csvLine(values))[0]!.fields).toEqual(values);
  });
});
