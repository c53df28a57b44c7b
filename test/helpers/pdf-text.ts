// Reads back the text of a PDF written by pdf-lib with embedded fonts: each font's ToUnicode map
// turns the glyph codes of the page content back into characters. Enough for our own forms.
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib';

function streamText(stream: unknown): string {
  if (!(stream instanceof PDFRawStream)) return '';
  return Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
}

function toUnicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, unicode] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const units = unicode!.match(/.{4}/g)!.map((h) => Number.parseInt(h, 16));
      map.set(code!.toLowerCase(), String.fromCharCode(...units));
    }
  }
  return map;
}

/** The PDF's page count and the text of each page (one string per drawn line). */
export async function readPdf(
  bytes: Uint8Array,
): Promise<{ pageCount: number; pages: string[][]; title?: string }> {
  const doc = await PDFDocument.load(bytes);
  const pages = doc.getPages().map((page) => {
    const resources = page.node.Resources()!;
    const fontDict = resources.lookup(PDFName.of('Font'), PDFDict);
    const maps = new Map<string, Map<string, string>>();
    for (const [name, ref] of fontDict.entries()) {
      const font = doc.context.lookup(ref as PDFRef, PDFDict);
      maps.set(name.asString(), toUnicodeMap(streamText(font.lookup(PDFName.of('ToUnicode')))));
    }
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    const content = streams.map(streamText).join('\n');
    const lines: string[] = [];
    let map = new Map<string, string>();
    for (const [, font, hex] of content.matchAll(/(?:(\/\S+)\s+[\d.]+\s+Tf)|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (font) map = maps.get(font) ?? new Map();
      else
        lines.push(
          hex!
            .match(/.{4}/g)
            ?.map((c) => map.get(c.toLowerCase()) ?? '\uFFFD')
            .join('') ?? '',
        );
    }
    return lines;
  });
  return { pageCount: doc.getPageCount(), pages, title: doc.getTitle() };
}
