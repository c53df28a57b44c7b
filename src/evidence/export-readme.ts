// The README of an exported package, in the receiving State's language (and English beside it):
// a court expert or defence lawyer must be able to check the package without us.
import { exerciseBannerText } from '../domain/exercises/report-labels.ts';

export const README_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es', 'vi'] as const;
export type ReadmeLanguage = (typeof README_LANGUAGES)[number];

// The usual language of a State's courts, for the States the demo and the directory name most;
// any other State gets English.
const LANGUAGE_OF_STATE: Record<string, ReadmeLanguage> = {
  FR: 'fr',
  BE: 'fr',
  SN: 'fr',
  CI: 'fr',
  MA: 'fr',
  DZ: 'ar',
  EG: 'ar',
  SA: 'ar',
  AE: 'ar',
  QA: 'ar',
  CN: 'zh',
  RU: 'ru',
  BY: 'ru',
  KZ: 'ru',
  ES: 'es',
  MX: 'es',
  AR: 'es',
  CO: 'es',
  CL: 'es',
  PE: 'es',
  VN: 'vi',
};

export function readmeLanguageFor(state: string): ReadmeLanguage {
  return LANGUAGE_OF_STATE[state] ?? 'en';
}

type Facts = {
  packageId: string;
  origin: string;
  recipient: string;
  items: number;
  root: string;
  /** Set for a package of an exercise: the README opens with the EXERCISE banner. */
  exerciseId?: string | null;
};

const TEXTS: Record<ReadmeLanguage, (f: Facts) => string> = {
  en: (f) => `Evidence package ${f.packageId}
Sent by ${f.origin} to ${f.recipient} under the UN Convention against Cybercrime (arts. 35-36).
${f.items} file(s) in files/. Merkle root: ${f.root}

How to check it, without any node:
  hanoi247 evidence verify <this folder>
It checks: the signature of manifest.jws with the sender's key in sender.json (compare that key's id
with the sender's entry in the signed directory); the size, SHA-256 and chunk Merkle root of every
file; the package Merkle root; every custody event in custody.json against the signed audit tree head.
Conditions of use: speciality; no onward transfer to a third State without the sender's consent.
`,
  fr: (f) => `Paquet de preuves ${f.packageId}
Transmis par ${f.origin} à ${f.recipient} au titre de la Convention des Nations Unies contre la cybercriminalité (art. 35-36).
${f.items} fichier(s) dans files/. Racine de Merkle : ${f.root}

Pour le vérifier, sans aucun nœud :
  hanoi247 evidence verify <ce dossier>
La commande vérifie : la signature de manifest.jws avec la clé de l'expéditeur dans sender.json (comparez
l'identifiant de cette clé avec l'entrée de l'expéditeur dans l'annuaire signé) ; la taille, le SHA-256 et la
racine de Merkle des blocs de chaque fichier ; la racine du paquet ; chaque événement de la chaîne de
possession (custody.json) par rapport à la tête d'arbre signée du journal d'audit.
Conditions d'utilisation : spécialité ; aucun transfert ultérieur à un État tiers sans l'accord de l'expéditeur.
`,
  vi: (f) => `Gói chứng cứ ${f.packageId}
Do ${f.origin} gửi cho ${f.recipient} theo Công ước của Liên Hợp Quốc về chống tội phạm mạng (Điều 35-36).
${f.items} tệp trong thư mục files/. Gốc Merkle: ${f.root}

Cách kiểm tra, không cần nút nào:
  hanoi247 evidence verify <thư mục này>
Lệnh kiểm tra: chữ ký của manifest.jws bằng khóa của bên gửi trong sender.json (đối chiếu mã khóa với mục của
bên gửi trong danh bạ đã ký); kích thước, SHA-256 và gốc Merkle theo khối của từng tệp; gốc Merkle của gói;
từng sự kiện lưu giữ trong custody.json so với đầu cây nhật ký kiểm toán đã ký.
Điều kiện sử dụng: nguyên tắc chuyên biệt; không chuyển tiếp cho quốc gia thứ ba nếu bên gửi không đồng ý.
`,
  es: (f) => `Paquete de pruebas ${f.packageId}
Enviado por ${f.origin} a ${f.recipient} en virtud de la Convención de las Naciones Unidas contra la Ciberdelincuencia (arts. 35-36).
${f.items} archivo(s) en files/. Raíz de Merkle: ${f.root}

Cómo verificarlo, sin ningún nodo:
  hanoi247 evidence verify <esta carpeta>
Comprueba: la firma de manifest.jws con la clave del remitente en sender.json (compare el identificador de la
clave con la entrada del remitente en el directorio firmado); el tamaño, el SHA-256 y la raíz de Merkle por
bloques de cada archivo; la raíz del paquete; cada evento de custodia de custody.json frente a la cabeza de
árbol firmada del registro de auditoría.
Condiciones de uso: especialidad; ninguna transferencia ulterior a un tercer Estado sin el consentimiento del remitente.
`,
  ru: (f) => `Пакет доказательств ${f.packageId}
Направлен ${f.origin} в ${f.recipient} в соответствии с Конвенцией ООН против киберпреступности (ст. 35-36).
Файлов в папке files/: ${f.items}. Корень Меркла: ${f.root}

Как проверить без какого-либо узла:
  hanoi247 evidence verify <эта папка>
Проверяются: подпись manifest.jws ключом отправителя из sender.json (сверьте идентификатор ключа с записью
отправителя в подписанном справочнике); размер, SHA-256 и корень Меркла по блокам каждого файла; корень
пакета; каждое событие цепочки хранения в custody.json относительно подписанной вершины дерева журнала аудита.
Условия использования: принцип специализации; никакой дальнейшей передачи третьему государству без согласия отправителя.
`,
  zh: (f) => `证据包 ${f.packageId}
由 ${f.origin} 依据《联合国打击网络犯罪公约》（第35-36条）发送给 ${f.recipient}。
files/ 中共有 ${f.items} 个文件。默克尔根：${f.root}

无需任何节点即可核验：
  hanoi247 evidence verify <本文件夹>
核验内容：用 sender.json 中发送方的密钥核验 manifest.jws 的签名（请将该密钥标识与已签名目录中发送方的条目比对）；
每个文件的大小、SHA-256 和分块默克尔根；证据包的默克尔根；custody.json 中每一保管事件相对于已签名审计树头的证明。
使用条件：特定性原则；未经发送方同意，不得转交第三国。
`,
  ar: (f) => `حزمة الأدلة ${f.packageId}
أرسلها ${f.origin} إلى ${f.recipient} بموجب اتفاقية الأمم المتحدة لمكافحة الجرائم السيبرانية (المادتان 35-36).
عدد الملفات في المجلد files/: ${f.items}. جذر ميركل: ${f.root}

طريقة التحقق دون أي عقدة:
  hanoi247 evidence verify <هذا المجلد>
يتحقق الأمر من: توقيع manifest.jws بمفتاح المرسل في sender.json (قارن معرّف المفتاح بقيد المرسل في الدليل الموقّع)؛
حجم كل ملف وبصمة SHA-256 وجذر ميركل لكتله؛ جذر الحزمة؛ كل حدث من أحداث سلسلة الحيازة في custody.json مقابل رأس شجرة سجل التدقيق الموقّع.
شروط الاستخدام: مبدأ التخصيص؛ لا نقل لاحق إلى دولة ثالثة دون موافقة المرسل.
`,
};

/** The README in `lang`, followed by the English text when `lang` is not English. */
export function readmeText(lang: ReadmeLanguage, facts: Facts): string {
  const own = exerciseBannerText(facts.exerciseId, lang) + TEXTS[lang](facts);
  const english = exerciseBannerText(facts.exerciseId, 'en') + TEXTS.en(facts);
  return lang === 'en' ? own : `${own}\n----------------------------------------\n\n${english}`;
}
