import PDFDocument from 'pdfkit';

/**
 * A small layer over pdfkit for Mosaïque's reports (CIA review, commission minutes, relocation
 * reviews): A4, Helvetica (the PDF standard fonts cover French), headings, paragraphs, tables that
 * continue on the next page, horizontal bars against a target line, numbered footers with the source.
 */
export interface ReportColumn {
  header: string;
  /** Share of the usable width, 0–1. */
  width: number;
  align?: 'left' | 'right';
}

const MARGIN = 50;
const INK = '#1b1f24';
const MUTED = '#4a5360';
const BRAND = '#1f3a5f';

/** The standard fonts encode WinAnsi: narrow and no-break spaces become plain spaces. */
export const pdfText = (s: string): string => s.replace(/[\u202f\u00a0\u2009]/g, ' ');

export class Report {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(
    title: string,
    private readonly footer: string,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: pdfText(title), Creator: 'Mosaïque' },
    });
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve) => this.doc.on('end', () => resolve(Buffer.concat(this.chunks))));
    this.doc.font('Helvetica-Bold').fontSize(18).fillColor(BRAND).text(pdfText(title));
    this.doc.moveDown(0.5);
  }

  private get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  private ensureSpace(height: number): void {
    if (this.doc.y + height > this.doc.page.height - MARGIN - 30) this.doc.addPage();
  }

  heading(text: string): this {
    this.ensureSpace(60);
    this.doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(BRAND).text(pdfText(text));
    this.doc.moveDown(0.3);
    return this;
  }

  paragraph(text: string, options: { muted?: boolean } = {}): this {
    this.doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor(options.muted ? MUTED : INK)
      .text(pdfText(text), { width: this.width, align: 'left' });
    this.doc.moveDown(0.4);
    return this;
  }

  table(columns: readonly ReportColumn[], rows: readonly (readonly string[])[]): this {
    const x0 = MARGIN;
    const widths = columns.map((c) => c.width * this.width);
    const drawRow = (cells: readonly string[], bold: boolean) => {
      this.doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const heights = cells.map((cell, i) =>
        this.doc.heightOfString(pdfText(cell), { width: widths[i]! - 6 }),
      );
      const height = Math.max(...heights) + 6;
      this.ensureSpace(height);
      const y = this.doc.y;
      let x = x0;
      cells.forEach((cell, i) => {
        this.doc
          .fillColor(INK)
          .text(pdfText(cell), x + 3, y + 3, { width: widths[i]! - 6, align: columns[i]!.align ?? 'left' });
        x += widths[i]!;
      });
      this.doc
        .moveTo(x0, y + height)
        .lineTo(x0 + this.width, y + height)
        .lineWidth(0.5)
        .strokeColor('#c9d0d8')
        .stroke();
      this.doc.x = x0;
      this.doc.y = y + height;
    };
    drawRow(
      columns.map((c) => c.header),
      true,
    );
    for (const row of rows) drawRow(row, false);
    this.doc.moveDown(0.6);
    return this;
  }

  /** Horizontal bars of shares (0–1) with the target as a vertical line; green when met. */
  bars(
    rows: readonly { label: string; share: number; target: number; met: boolean; caption: string }[],
  ): this {
    const labelWidth = 0.35 * this.width;
    const barWidth = 0.4 * this.width;
    for (const r of rows) {
      this.ensureSpace(24);
      const y = this.doc.y;
      this.doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor(INK)
        .text(pdfText(r.label), MARGIN, y + 3, { width: labelWidth - 6 });
      const x = MARGIN + labelWidth;
      this.doc.rect(x, y + 2, barWidth, 12).fill('#f3f5f7');
      this.doc
        .rect(x, y + 2, Math.max(0, Math.min(1, r.share)) * barWidth, 12)
        .fill(r.met ? '#2f7d6d' : '#a8431a');
      const tx = x + r.target * barWidth;
      this.doc
        .moveTo(tx, y)
        .lineTo(tx, y + 16)
        .lineWidth(1.5)
        .strokeColor(INK)
        .stroke();
      this.doc
        .fillColor(INK)
        .text(pdfText(r.caption), x + barWidth + 8, y + 3, { width: this.width - labelWidth - barWidth - 8 });
      this.doc.x = MARGIN;
      this.doc.y = y + 22;
    }
    this.doc.moveDown(0.4);
    return this;
  }

  /** Ends the document (footers with page numbers) and returns its bytes. */
  async end(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const y = this.doc.page.height - MARGIN + 10;
      this.doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor(MUTED)
        .text(pdfText(`${this.footer} — page ${i + 1} / ${range.count}`), MARGIN, y, {
          width: this.width,
          lineBreak: false,
        });
    }
    this.doc.end();
    return this.done;
  }
}
