// Screenshots inside the report files, checked with the tools another department would use:
// the DOCX and XLSX are unzipped and their media parts compared byte for byte with the
// screenshots, pdfimages lists (and extracts) the PDF's images, and headless LibreOffice
// converts the DOCX and XLSX to PDF, in which pdfimages finds the images again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallToInstant } from '../../src-shared/timeline/zone';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { loadImages, REPORT_IMAGE_MAX_WIDTH } from '../../src-main/core/reports/report-images';
import { createImageShrinker } from '../../src-main/core/reports/shrink-image';
import { runFfmpegCli } from '../helpers/media-fixtures';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const ZONE = 'Europe/Berlin';
const at = (local: string) => wallToInstant(ZONE, Date.parse(`${local}Z`));

/** `pdfimages -list` rows: page, width, height and type of every image. */
function pdfImages(pdf: string): { page: number; width: number; height: number; type: string }[] {
  return execFileSync('pdfimages', ['-list', pdf])
    .toString('utf8')
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'image')
    .map((cols) => ({
      page: Number(cols[0]),
      width: Number(cols[3]),
      height: Number(cols[4]),
      type: cols[8]!,
    }));
}

/** The parts of a zip under `folder`, each with its bytes (read with unzip, as a person would). */
function zipParts(file: string, folder: string): Map<string, Buffer> {
  const names = execFileSync('unzip', ['-Z1', file])
    .toString('utf8')
    .split('\n')
    .filter((n) => n.startsWith(folder) && !n.endsWith('/'));
  return new Map(
    names.map((n) => [n, execFileSync('unzip', ['-p', file, n], { maxBuffer: 1 << 28 })]),
  );
}

describe('screenshots inline in reports', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let running: ServedCore;
  let png: string;
  let jpeg: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = makeTempDir();
    running = await startServedCore(dir.path);
    await running.call('settingsSet', { timeZone: ZONE });
    // Two real frames: a PNG (the recorder's default) and a JPEG of another size.
    png = join(dir.path, 'shot-1.png');
    jpeg = join(dir.path, 'shot-2.jpg');
    await runFfmpegCli(['-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', png]);
    await runFfmpegCli(['-f', 'lavfi', '-i', 'smptebars=size=640x360', '-frames:v', '1', jpeg]);
    const from = at('2026-10-23T00:00');
    const to = at('2026-10-24T00:00');
    running.core.stats.setNotesSource(() => [
      {
        at: at('2026-10-23T09:01'),
        personId: 1,
        sourceId: null,
        text: 'First note: logo missing',
        screenshots: [png],
      },
      {
        at: at('2026-10-23T09:05'),
        personId: 1,
        sourceId: null,
        text: 'Second note: bars on air',
        screenshots: [jpeg, join(dir.path, 'gone.png')],
      },
      { at: at('2026-10-23T09:09'), personId: 1, sourceId: null, text: 'Third note: no image' },
    ]);
    for (const format of ['docx', 'xlsx', 'pdf'] as const) {
      const report = await running.call('reportBuild', { from, to, format, title: 'Shots' });
      files[format] = join(dir.path, report.fileName);
      writeFileSync(files[format], Buffer.from(report.base64, 'base64'));
    }
  });
  afterAll(async () => {
    await running?.close();
    dir?.remove();
  });

  it('puts the screenshot bytes themselves into the DOCX, right under their note', () => {
    const media = [...zipParts(files.docx!, 'word/media/').values()];
    expect(media).toHaveLength(2);
    expect(media.some((m) => m.equals(readFileSync(png)))).toBe(true);
    expect(media.some((m) => m.equals(readFileSync(jpeg)))).toBe(true);
    const xml = execFileSync('unzip', ['-p', files.docx!, 'word/document.xml']).toString('utf8');
    const first = xml.indexOf('First note');
    const second = xml.indexOf('Second note');
    const third = xml.indexOf('Third note');
    const pictures = [...xml.matchAll(/<pic:pic\b/g)].map((m) => m.index);
    // One picture between the first and second note, one between the second and third.
    expect(pictures.filter((p) => p > first && p < second)).toHaveLength(1);
    expect(pictures.filter((p) => p > second && p < third)).toHaveLength(1);
    // The file that is gone stays named in the screenshots column instead of failing the report.
    expect(xml).toContain('gone.png');
  });

  it('anchors the screenshots on the XLSX notes sheet', () => {
    const media = [...zipParts(files.xlsx!, 'xl/media/').values()];
    expect(media).toHaveLength(2);
    expect(media.some((m) => m.equals(readFileSync(png)))).toBe(true);
    expect(media.some((m) => m.equals(readFileSync(jpeg)))).toBe(true);
    const workbook = execFileSync('unzip', ['-p', files.xlsx!, 'xl/workbook.xml']).toString();
    expect(workbook.indexOf('name="Notes"')).toBeGreaterThan(-1);
    // The first sheet (Notes) holds the drawing; its anchors sit on rows 2 and 3 (0-based 1, 2).
    const rels = execFileSync('unzip', [
      '-p',
      files.xlsx!,
      'xl/worksheets/_rels/sheet1.xml.rels',
    ]).toString();
    expect(rels).toMatch(/drawing1\.xml/);
    const drawing = execFileSync('unzip', ['-p', files.xlsx!, 'xl/drawings/drawing1.xml'])
      .toString()
      .replace(/\s+/g, '');
    const rows = [...drawing.matchAll(/<xdr:from>.*?<xdr:row>(\d+)<\/xdr:row>/g)].map((m) =>
      Number(m[1]),
    );
    expect(rows.sort()).toEqual([1, 2]);
  });

  it('draws the screenshots into the PDF (pdfimages lists and extracts them)', () => {
    const listed = pdfImages(files.pdf!);
    expect(listed.map((i) => [i.width, i.height])).toEqual([
      [320, 180],
      [640, 360],
    ]);
    const out = join(dir.path, 'pdf-images');
    mkdirSync(out);
    // -all keeps each image in its stored form: the JPEG comes back as the very same file.
    execFileSync('pdfimages', ['-all', files.pdf!, join(out, 'img')]);
    const extracted = readdirSync(out).sort();
    const jpegBack = extracted.find((f) => f.endsWith('.jpg'));
    expect(jpegBack && readFileSync(join(out, jpegBack)).equals(readFileSync(jpeg))).toBe(true);
    // The PNG is re-compressed inside the PDF: compare the pixels.
    const pngBack = extracted.find((f) => f.endsWith('.png'));
    expect(pngBack).toBeDefined();
    const pixels = (file: string) =>
      execFileSync(
        resolveFfmpeg().ffmpeg.path,
        ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
        { maxBuffer: 1 << 26 },
      );
    const original = pixels(png);
    expect(original.length).toBe(320 * 180 * 3);
    expect(pixels(join(out, pngBack!)).equals(original)).toBe(true);
  });

  it('opens in LibreOffice (headless) with the images in place', () => {
    const profile = `file://${join(dir.path, 'lo-profile')}`;
    for (const format of ['docx', 'xlsx'] as const) {
      // One folder per input: both convert to the same file name.
      const out = join(dir.path, `converted-${format}`);
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=${profile}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          out,
          files[format]!,
        ],
        { timeout: 90_000, stdio: 'pipe' },
      );
      const pdfs = readdirSync(out).filter((f) => f.endsWith('.pdf'));
      expect(pdfs, format).toHaveLength(1);
      const pdf = join(out, pdfs[0]!);
      const sizes = pdfImages(pdf).map((i) => `${i.width}x${i.height}`);
      expect(sizes, format).toEqual(expect.arrayContaining(['320x180', '640x360']));
      const text = execFileSync('pdftotext', [pdf, '-']).toString('utf8');
      expect(text, format).toContain('Second note');
    }
  });

  it('shrinks a full-size frame to print width as a JPEG, and keeps small ones as they are', async () => {
    // A 1920×1080 frame of noise: a PNG of several megabytes, the worst case for a report.
    const big = join(dir.path, 'big.png');
    await runFfmpegCli([
      '-f',
      'lavfi',
      '-i',
      'nullsrc=size=1920x1080,geq=random(1)*255:128:128',
      '-frames:v',
      '1',
      big,
    ]);
    const original = readFileSync(big);
    expect(original.length).toBeGreaterThan(1_000_000);
    const shrink = createImageShrinker(running.core.context.ffmpeg);
    const images = await loadImages([big, png], undefined, shrink);
    const shrunk = images.get(big)!;
    expect(shrunk).toMatchObject({ type: 'jpg', width: REPORT_IMAGE_MAX_WIDTH, height: 664 });
    expect(shrunk.data.length).toBeLessThan(original.length / 4);
    // The small PNG is embedded byte for byte, as before.
    expect(images.get(png)?.data.equals(readFileSync(png))).toBe(true);
    // A file that is not an image stays out rather than failing the report.
    const fake = join(dir.path, 'fake.png');
    writeFileSync(fake, Buffer.alloc(400_000, 1));
    expect((await loadImages([fake], undefined, shrink)).has(fake)).toBe(false);
  });
});
