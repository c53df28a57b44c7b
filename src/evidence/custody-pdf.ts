// The custody report as PDF, for a court file: the package, its items and hashes, and every custody
// event with its audit sequence number, ending with the signed tree head the proofs are checked against.
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { drawBanner, loadFonts, wrap } from '../requests/printable-pdf.ts';
import type { CustodyReport } from './custody-report.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 50 };

export async function renderCustodyPdf(report: CustodyReport): Promise<Uint8Array> {
  const fonts = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const created = new Date(report.treeHead.signedAt);
  doc.setTitle(`Chain of custody — evidence package ${report.package.id}`);
  doc.setCreator('hanoi247');
  doc.setProducer('hanoi247');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const width = PAGE.width - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const line = (text: string, font: PDFFont = regular, size = 9) => {
    for (const piece of wrap(text.normalize('NFC'), font, size, width)) {
      if (y - size - 4 < PAGE.margin + 20) {
        page = doc.addPage([PAGE.width, PAGE.height]);
        y = PAGE.height - PAGE.margin;
      }
      page.drawText(piece, { x: PAGE.margin, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  const gap = (n = 6) => {
    y -= n;
  };
  const p = report.package;
  const m = p.manifest;
  if (report.banner) y = drawBanner(page, bold, report.banner, y);
  line('Chain of custody of an evidence package', bold, 14);
  line(`UN Convention against Cybercrime, arts. 35-36 — node ${report.node}`);
  gap();
  line(`Package ${p.id} (${p.status})`, bold, 10);
  line(
    `Request ${m.requestId} (${m.requestType}), case ${m.caseReference}, from ${m.originState} to ${m.recipientState}`,
  );
  line(`Legal basis: ${m.legalBasis.basis}${m.legalBasis.treatyRef ? ` (${m.legalBasis.treatyRef})` : ''}`);
  line(
    `Conditions of use: speciality; onward transfer only with consent${m.conditions.other.length ? `; ${m.conditions.other.join('; ')}` : ''}`,
  );
  line(`Sealed ${m.sealedAt}; Merkle root ${m.merkle.root}`);
  if (p.supersedes) line(`Supersedes package ${p.supersedes}`);
  gap();
  line(`Items (${m.items.length})`, bold, 10);
  for (const item of m.items) {
    line(`${item.fileName} — ${item.size} bytes, ${item.mediaType}`, bold);
    line(`SHA-256 ${item.sha256}`);
    line(
      `${item.description} — source ${item.source}${item.domesticOrder ? `, order ${item.domesticOrder}` : ''}; acquired ${item.acquiredAt} by ${item.acquiredBy}`,
    );
    gap(3);
  }
  gap();
  line(`Events (${report.events.length})`, bold, 10);
  for (const e of report.events) {
    const who = e.actorName ? `${e.actorName} (${e.actor})` : e.actor;
    const from = typeof e.details.from === 'string' ? ` from ${e.details.from}` : '';
    line(`#${e.seq}  ${e.at}  ${e.action}  by ${who}${from}`, bold);
    line(
      `${e.objectType} ${e.objectId}; payload hash ${e.payloadHash}; proof of ${e.auditPath.length} hashes`,
    );
    gap(3);
  }
  gap();
  line('Signed audit tree head', bold, 10);
  line(
    `Size ${report.treeHead.treeSize}, root ${report.treeHead.rootHash}, signed ${report.treeHead.signedAt} with key ${report.treeHead.kid}`,
  );
  line(
    'Check offline: hanoi247 evidence verify <exported folder>. The JSON form of this report carries every proof.',
  );
  const pages = doc.getPages();
  pages.forEach((pg, i) => {
    const footer = `${p.id} — ${i + 1} / ${pages.length}`;
    const w = regular.widthOfTextAtSize(footer, 8);
    pg.drawText(footer, { x: PAGE.width - PAGE.margin - w, y: PAGE.margin - 20, size: 8, font: regular });
  });
  return doc.save();
}
