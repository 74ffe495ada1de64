import { describe, expect, it } from 'vitest';
import { StderrRing } from '../../src-main/core/ffmpeg/stderr-ring';

describe('StderrRing', () => {
  it('returns the lines each chunk completes and keeps them in order', () => {
    const ring = new StderrRing();
    expect(ring.push('first\nsec')).toEqual(['first']);
    expect(ring.push('ond\nthird')).toEqual(['second']);
    expect(ring.lines()).toEqual(['first', 'second', 'third']);
    expect(ring.push('\n')).toEqual(['third']);
    expect(ring.lines()).toEqual(['first', 'second', 'third']);
  });

  it('splits identically wherever a chunk boundary falls', () => {
    const text = 'alpha\r\nbeta\n\ngamma delta\r\nlast';
    for (let i = 0; i <= text.length; i++) {
      const ring = new StderrRing();
      ring.push(text.slice(0, i));
      ring.push(text.slice(i));
      expect(ring.lines(), `split at ${i}`).toEqual(['alpha', 'beta', 'gamma delta', 'last']);
    }
  });

  it('skips blank lines', () => {
    const ring = new StderrRing();
    expect(ring.push('\n  \n\r\nreal\n')).toEqual(['real']);
    expect(ring.lines()).toEqual(['real']);
  });

  it('keeps only the last 200 lines by default', () => {
    const ring = new StderrRing();
    for (let i = 0; i < 500; i++) ring.push(`line ${i}\n`);
    const lines = ring.lines();
    expect(lines).toHaveLength(200);
    expect(lines[0]).toBe('line 300');
    expect(lines.at(-1)).toBe('line 499');
  });

  it('honours a custom line limit', () => {
    const ring = new StderrRing({ maxLines: 3 });
    ring.push('a\nb\nc\nd\ne\n');
    expect(ring.lines()).toEqual(['c', 'd', 'e']);
  });

  it('drops the oldest lines to stay within the byte limit', () => {
    const ring = new StderrRing({ maxBytes: 20 });
    ring.push('0123456789\nabcdefghij\nXYZ\n');
    expect(ring.lines()).toEqual(['abcdefghij', 'XYZ']);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const ring = new StderrRing({ maxBytes: 10 });
    ring.push('ééé\nüüü\n'); // 6 bytes each
    expect(ring.lines()).toEqual(['üüü']);
  });

  it('keeps the end of a line longer than the byte limit', () => {
    const ring = new StderrRing({ maxBytes: 8 });
    ring.push(`${'x'.repeat(100)}THE-END\n`);
    expect(ring.lines()).toEqual(['xTHE-END']);
  });

  it('never leaves a broken character at the start of a clipped line', () => {
    const ring = new StderrRing({ maxBytes: 5 });
    ring.push(`${'é'.repeat(50)}\n`);
    const [line] = ring.lines();
    expect(line).toMatch(/^é+$/);
    expect(Buffer.byteLength(line ?? '')).toBeLessThanOrEqual(5);
  });

  it('bounds an unterminated line as well', () => {
    const ring = new StderrRing({ maxBytes: 16 });
    for (let i = 0; i < 1000; i++) ring.push('no newline ever ');
    const lines = ring.lines();
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0] ?? '')).toBeLessThanOrEqual(16);
  });

  it('tail(n) returns the last n lines, including an unterminated one', () => {
    const ring = new StderrRing();
    ring.push('a\nb\nc\npartial');
    expect(ring.tail(2)).toEqual(['c', 'partial']);
    expect(ring.tail(10)).toEqual(['a', 'b', 'c', 'partial']);
    expect(ring.tail(0)).toEqual([]);
    expect(ring.tail(-1)).toEqual([]);
  });

  it('text(n) joins the tail for messages', () => {
    const ring = new StderrRing();
    ring.push('one\ntwo\nthree\n');
    expect(ring.text(2)).toBe('two\nthree');
    expect(ring.text()).toBe('one\ntwo\nthree');
    expect(new StderrRing().text()).toBe('');
  });
});
