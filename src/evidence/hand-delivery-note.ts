// The note that opens a hand-delivered archive, in the partner's language: what was handed over, by
// whom, to whom and when (as the chain of custody records it), and how to open and check it without
// a node. The README beside it says what the check covers.
import { exerciseBannerText } from '../domain/exercises/report-labels.ts';
import type { ReadmeLanguage } from './export-readme.ts';

export type DeliveryFacts = {
  packageId: string;
  origin: string;
  deliveredBy: string;
  recipient: string;
  toState: string;
  at: string;
  auditSeq: number;
  archive: string;
  folder: string;
  /** Set for a package of an exercise: the note opens with the EXERCISE banner. */
  exerciseId?: string | null;
};

const NOTES: Record<ReadmeLanguage, (f: DeliveryFacts) => string> = {
  en: (f) => `Hand delivery of evidence package ${f.packageId}
Sealed by ${f.origin}. Handed by ${f.deliveredBy} to ${f.recipient} (${f.toState}) on ${f.at}.
This delivery is entry ${f.auditSeq} of the sender's audit log; custody.json proves it.

To open and check it, without any node:
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  fr: (f) => `Remise en main propre du paquet de preuves ${f.packageId}
Scellé par ${f.origin}. Remis par ${f.deliveredBy} à ${f.recipient} (${f.toState}) le ${f.at}.
Cette remise est l'entrée ${f.auditSeq} du journal d'audit de l'expéditeur ; custody.json en apporte la preuve.

Pour l'ouvrir et le vérifier, sans aucun nœud :
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  es: (f) => `Entrega en mano del paquete de pruebas ${f.packageId}
Sellado por ${f.origin}. Entregado por ${f.deliveredBy} a ${f.recipient} (${f.toState}) el ${f.at}.
Esta entrega es la entrada ${f.auditSeq} del registro de auditoría del remitente; custody.json lo prueba.

Para abrirlo y verificarlo, sin ningún nodo:
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  vi: (f) => `Giao tận tay gói chứng cứ ${f.packageId}
Do ${f.origin} niêm phong. ${f.deliveredBy} giao cho ${f.recipient} (${f.toState}) lúc ${f.at}.
Việc giao này là mục ${f.auditSeq} trong nhật ký kiểm toán của bên gửi; custody.json chứng minh điều đó.

Cách mở và kiểm tra, không cần nút nào:
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  ru: (f) => `Передача пакета доказательств ${f.packageId} из рук в руки
Опечатан: ${f.origin}. Передал ${f.deliveredBy}, получатель ${f.recipient} (${f.toState}), дата ${f.at}.
Эта передача — запись ${f.auditSeq} журнала аудита отправителя; доказательство в custody.json.

Как открыть и проверить без какого-либо узла:
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  zh: (f) => `证据包 ${f.packageId} 当面交付
由 ${f.origin} 封装。由 ${f.deliveredBy} 于 ${f.at} 交给 ${f.recipient}（${f.toState}）。
此次交付是发送方审计日志的第 ${f.auditSeq} 条；custody.json 载有证明。

无需任何节点即可打开和核验：
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
  ar: (f) => `تسليم حزمة الأدلة ${f.packageId} باليد
ختمتها ${f.origin}. سلّمها ${f.deliveredBy} إلى ${f.recipient} (${f.toState}) في ${f.at}.
هذا التسليم هو القيد ${f.auditSeq} في سجل تدقيق المرسل؛ ويثبته الملف custody.json.

لفتحها والتحقق منها دون أي عقدة:
  tar -xf ${f.archive}
  hanoi247 evidence verify ${f.folder}
`,
};

export function deliveryNote(lang: ReadmeLanguage, facts: DeliveryFacts): string {
  return exerciseBannerText(facts.exerciseId, lang) + NOTES[lang](facts);
}
