// A report written as DOCX (docx), XLSX and CSV (exceljs) or PDF (pdfkit): maintained
// libraries for every format, nothing hand-assembled.
import { existsSync } from 'node:fs';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { columnTotals, type ReportData, type ReportTable } from './report-data';

export type ReportFormat = 'docx' | 'xlsx' | 'pdf' | 'csv';
export const reportMimeTypes: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv',
};

export async function writeReport(data: ReportData, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return writeDocx(data);
    case 'xlsx':
      return Buffer.from(await workbook(data, { totals: true }).xlsx.writeBuffer());
    case 'csv':
      // CSV holds one table: the day-by-person statistics, the one people chart.
      return Buffer.from(
        await workbook(data, { totals: false }).csv.writeBuffer({ sheetName: 'Days' }),
      );
    case 'pdf':
      return writePdf(data);
  }
}

const cellText = (v: string | number) => (typeof v === 'number' ? String(v) : v);

async function writeDocx(data: ReportData): Promise<Buffer> {
  const table = (t: ReportTable) => {
    const totals = t.totals ? columnTotals(t) : null;
    const row = (cells: string[], bold = false) =>
      new TableRow({
        children: cells.map(
          (text) =>
            new TableCell({
              children: [new Paragraph({ children: [new TextRun({ text, bold })] })],
            }),
        ),
      });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        row(
          t.columns.map((c) => c.header),
          true,
        ),
        ...t.rows.map((r) => row(r.map(cellText))),
        ...(totals
          ? [
              row(
                totals.map((v, i) => (i === 0 ? 'Total' : v === null ? '' : String(v))),
                true,
              ),
            ]
          : []),
      ],
    });
  };
  const doc = new Document({
    creator: 'Airdeck',
    title: data.title,
    sections: [
      {
        children: [
          new Paragraph({ text: data.title, heading: HeadingLevel.TITLE }),
          new Paragraph({ text: data.period }),
          new Paragraph({ text: `Generated ${data.generated}`, alignment: AlignmentType.LEFT }),
          ...data.tables.flatMap((t) => [
            new Paragraph({ text: t.name, heading: HeadingLevel.HEADING_1 }),
            t.rows.length > 0 ? table(t) : new Paragraph({ text: 'None in this period.' }),
          ]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** CSV is read by programs: no total row there. */
function workbook(data: ReportData, options: { totals: boolean }): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Airdeck';
  book.title = data.title;
  for (const t of data.tables) {
    const sheet = book.addWorksheet(t.name);
    sheet.columns = t.columns.map((c) => ({
      header: c.header,
      width: c.kind === 'number' ? 14 : 28,
    }));
    sheet.getRow(1).font = { bold: true };
    // Numbers stay numbers, so sums and charts work in any spreadsheet.
    for (const r of t.rows) sheet.addRow(r);
    if (options.totals && t.totals && t.rows.length > 0) {
      const totals = columnTotals(t);
      const last = t.rows.length + 1;
      const row = sheet.addRow(
        totals.map((v, i) => {
          if (i === 0) return 'Total';
          if (v === null) return '';
          const col = sheet.getColumn(i + 1).letter;
          return { formula: `SUM(${col}2:${col}${last})`, result: v };
        }),
      );
      row.font = { bold: true };
    }
  }
  return book;
}

/** A Unicode font where the machine has one (notes are in any language); else Helvetica. */
const UNICODE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

function writePdf(data: ReportData): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 36,
      info: { Title: data.title },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    if (existsSync(UNICODE_FONT)) doc.font(UNICODE_FONT);
    doc.fontSize(18).text(data.title);
    doc.fontSize(10).text(data.period).text(`Generated ${data.generated}`).moveDown();
    const width = doc.page.width - 72;
    for (const t of data.tables) {
      doc.fontSize(13).text(t.name).moveDown(0.3).fontSize(8);
      if (t.rows.length === 0) {
        doc.text('None in this period.').moveDown();
        continue;
      }
      // Text columns get twice the room of number columns; a long note wraps in its cell.
      const weights = t.columns.map((c) =>
        c.kind === 'number' ? 1 : t.name === 'Notes' && c.header === 'Note' ? 5 : 2,
      );
      const unit = width / weights.reduce((a, b) => a + b, 0);
      const totals = t.totals ? columnTotals(t) : null;
      const lines = [
        t.columns.map((c) => c.header),
        ...t.rows.map((r) => r.map(cellText)),
        ...(totals
          ? [totals.map((v, i) => (i === 0 ? 'Total' : v === null ? '' : String(v)))]
          : []),
      ];
      for (const cells of lines) {
        if (doc.y > doc.page.height - 72) doc.addPage();
        const top = doc.y;
        let x = 36;
        let bottom = top;
        cells.forEach((text, i) => {
          const w = unit * weights[i]!;
          doc.text(text, x, top, { width: w - 4 });
          bottom = Math.max(bottom, doc.y);
          x += w;
        });
        doc.x = 36;
        doc.y = bottom + 2;
      }
      doc.moveDown();
    }
    doc.end();
  });
}
