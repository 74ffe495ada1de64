// A report written as DOCX (docx), XLSX and CSV (exceljs) or PDF (pdfkit): maintained
// libraries for every format, nothing hand-assembled.
import { existsSync } from 'node:fs';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
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
import { fitInside, loadImages, type ReportImage } from './report-images';
import type { ShrinkImage } from './shrink-image';

export type ReportFormat = 'docx' | 'xlsx' | 'pdf' | 'csv';
export const reportMimeTypes: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv',
};

type Images = Map<string, ReportImage>;
const NO_IMAGES: Images = new Map();

/**
 * The file of a report. `progress` (0–1) follows the screenshots being read, the part that
 * grows with the report; the libraries lay out and pack the file in one call each.
 */
export async function writeReport(
  data: ReportData,
  format: ReportFormat,
  progress?: (fraction: number) => void,
  shrink?: ShrinkImage,
): Promise<Buffer> {
  /** Screenshots the tables show, read from disk (CSV holds no images). */
  const imagesOf = (data: ReportData) =>
    loadImages(
      data.tables.flatMap((t) => (t.rowImages ?? []).flat()),
      progress && ((f) => progress(f * 0.5)),
      shrink,
    );
  switch (format) {
    case 'docx':
      return writeDocx(data, await imagesOf(data));
    case 'xlsx':
      return Buffer.from(
        await workbook(data, { totals: true, images: await imagesOf(data) }).xlsx.writeBuffer(),
      );
    case 'csv':
      // CSV holds one table: the day-by-person statistics, the one people chart.
      return Buffer.from(
        await workbook(data, { totals: false, images: NO_IMAGES }).csv.writeBuffer({
          sheetName: 'Days',
        }),
      );
    case 'pdf':
      return writePdf(data, await imagesOf(data));
  }
}

const cellText = (v: string | number) => (typeof v === 'number' ? String(v) : v);

/** A4 portrait less Word's default 1-inch margins and the cell padding, in pixels at 96 dpi. */
const DOCX_IMAGE_WIDTH = 590;
const DOCX_IMAGE_MAX_HEIGHT = 800;

async function writeDocx(data: ReportData, images: Images): Promise<Buffer> {
  // A row under its note, spanning the table, with the note's screenshots at page width.
  const imageRow = (paths: readonly string[], span: number) => {
    const shown = paths.flatMap((p) => images.get(p) ?? []);
    if (shown.length === 0) return [];
    return [
      new TableRow({
        children: [
          new TableCell({
            columnSpan: span,
            children: shown.map(
              (image) =>
                new Paragraph({
                  children: [
                    new ImageRun({
                      type: image.type,
                      data: image.data,
                      transformation: fitInside(image, DOCX_IMAGE_WIDTH, DOCX_IMAGE_MAX_HEIGHT),
                      altText: {
                        name: image.path.slice(image.path.lastIndexOf('/') + 1),
                        title: 'Screenshot',
                        description: `Screenshot ${image.path}`,
                      },
                    }),
                  ],
                }),
            ),
          }),
        ],
      }),
    ];
  };
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
        ...t.rows.flatMap((r, i) => [
          row(r.map(cellText)),
          ...imageRow(t.rowImages?.[i] ?? [], t.columns.length),
        ]),
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

/** Screenshots on a sheet: a thumbnail per column beside the note, this wide in pixels. */
const XLSX_IMAGE_WIDTH = 240;
/** Column width (in characters of the default font) that holds one thumbnail. */
const XLSX_IMAGE_COLUMN = 35;

/** CSV is read by programs: no total row there. */
function workbook(
  data: ReportData,
  options: { totals: boolean; images: Images },
): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Airdeck';
  book.title = data.title;
  const imageIds = new Map<string, number>();
  const imageId = (image: ReportImage) => {
    let id = imageIds.get(image.path);
    if (id === undefined) {
      id = book.addImage({
        // exceljs types its buffer as an ArrayBuffer; it takes (and zips) a Node Buffer as is.
        buffer: image.data as unknown as ExcelJS.Image['buffer'],
        extension: image.type === 'jpg' ? 'jpeg' : 'png',
      });
      imageIds.set(image.path, id);
    }
    return id;
  };
  for (const t of data.tables) {
    const sheet = book.addWorksheet(t.name);
    const shown = (t.rowImages ?? []).map((paths) =>
      paths.flatMap((p) => options.images.get(p) ?? []),
    );
    const imageColumns = Math.max(0, ...shown.map((s) => s.length));
    sheet.columns = [
      ...t.columns.map((c) => ({
        header: c.header,
        width: c.kind === 'number' ? 14 : 28,
      })),
      ...Array.from({ length: imageColumns }, (_, k) => ({
        header: imageColumns === 1 ? 'Screenshot' : `Screenshot ${k + 1}`,
        width: XLSX_IMAGE_COLUMN,
      })),
    ];
    sheet.getRow(1).font = { bold: true };
    // Numbers stay numbers, so sums and charts work in any spreadsheet.
    t.rows.forEach((r, i) => {
      const row = sheet.addRow(r);
      const images = shown[i] ?? [];
      if (images.length === 0) return;
      let tallest = 0;
      images.forEach((image, k) => {
        const ext = fitInside(image, XLSX_IMAGE_WIDTH, XLSX_IMAGE_WIDTH);
        tallest = Math.max(tallest, ext.height);
        // Anchored to the cell (0-based column and row), one column per screenshot.
        sheet.addImage(imageId(image), {
          tl: { col: t.columns.length + k, row: row.number - 1 },
          ext,
          editAs: 'oneCell',
        });
      });
      // Points are 3/4 of a pixel; a little room under the thumbnail.
      row.height = Math.ceil(tallest * 0.75) + 4;
    });
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

function writePdf(data: ReportData, images: Images): Promise<Buffer> {
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
      const bottomEdge = doc.page.height - 36;
      // The note's screenshots under its row, at the page's width (or its height, if taller).
      const drawImages = (paths: readonly string[]) => {
        for (const path of paths) {
          const image = images.get(path);
          if (!image) continue;
          const size = fitInside(image, width, bottomEdge - 36 - 4);
          if (doc.y + size.height > bottomEdge) doc.addPage();
          doc.image(image.data, 36, doc.y, size);
          doc.x = 36;
          doc.y += size.height + 4;
        }
      };
      for (const [line, cells] of lines.entries()) {
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
        if (line > 0) drawImages(t.rowImages?.[line - 1] ?? []);
      }
      doc.moveDown();
    }
    doc.end();
  });
}
