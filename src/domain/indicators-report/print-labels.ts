// Words of the printed report (PDF, and the printable HTML for Chinese and Arabic), in the six UN
// languages and Vietnamese. `{name}` marks a value filled in by printText.
import type { ReportLanguage } from './labels.ts';

type Seven = Readonly<Record<ReportLanguage, string>>;

export const PRINT_TEXT = {
  title: {
    en: 'Implementation report: UN Convention against Cybercrime',
    fr: 'Rapport de mise en œuvre : Convention des Nations Unies contre la cybercriminalité',
    vi: 'Báo cáo thực thi: Công ước của Liên Hợp Quốc về chống tội phạm mạng',
    ar: 'تقرير التنفيذ: اتفاقية الأمم المتحدة لمكافحة الجرائم السيبرانية',
    zh: '执行情况报告：《联合国打击网络犯罪公约》',
    ru: 'Отчёт об осуществлении: Конвенция ООН против киберпреступности',
    es: 'Informe de aplicación: Convención de las Naciones Unidas contra la Ciberdelincuencia',
  },
  headline: {
    en: 'Node {node} · period {period} · generated {date}',
    fr: 'Nœud {node} · période {period} · établi le {date}',
    vi: 'Nút {node} · kỳ {period} · lập ngày {date}',
    ar: 'العقدة {node} · الفترة {period} · أُعد في {date}',
    zh: '节点 {node} · 期间 {period} · 生成于 {date}',
    ru: 'Узел {node} · период {period} · составлен {date}',
    es: 'Nodo {node} · período {period} · generado el {date}',
  },
  partial: {
    en: 'Partial: the period was still running when the report was made.',
    fr: 'Partiel : la période était en cours lorsque le rapport a été établi.',
    vi: 'Chưa đầy đủ: kỳ báo cáo chưa kết thúc khi lập báo cáo.',
    ar: 'جزئي: كانت الفترة لا تزال جارية عند إعداد التقرير.',
    zh: '不完整：编制报告时该期间尚未结束。',
    ru: 'Неполный: период ещё не закончился, когда составлялся отчёт.',
    es: 'Parcial: el período seguía en curso cuando se generó el informe.',
  },
  privacy: {
    en: 'No figure names a person. A count below {threshold} is shown as “<{threshold}”, statistics over fewer cases are withheld, and confidential requests count only in totals.',
    fr: 'Aucun chiffre ne nomme une personne. Un nombre inférieur à {threshold} est affiché « <{threshold} », les statistiques sur moins de cas ne sont pas publiées et les demandes confidentielles ne comptent que dans les totaux.',
    vi: 'Không số liệu nào nêu tên một người. Số lượng dưới {threshold} được hiển thị là “<{threshold}”, thống kê trên ít trường hợp hơn không được công bố, và yêu cầu mật chỉ được tính vào tổng.',
    ar: 'لا يذكر أي رقم اسم شخص. يُعرض العدد الأقل من {threshold} على أنه «<{threshold}»، ولا تُنشر الإحصاءات المحسوبة على عدد أقل من الحالات، ولا تُحتسب الطلبات السرية إلا في المجاميع.',
    zh: '任何数字都不指明个人。低于{threshold}的数量显示为“<{threshold}”，基于更少案件的统计不予公布，机密请求只计入总数。',
    ru: 'Ни один показатель не называет лиц. Число меньше {threshold} показывается как «<{threshold}», статистика по меньшему числу случаев не публикуется, а конфиденциальные запросы учитываются только в итогах.',
    es: 'Ninguna cifra nombra a una persona. Un número inferior a {threshold} se muestra como «<{threshold}», no se publican estadísticas sobre menos casos y las solicitudes confidenciales solo cuentan en los totales.',
  },
  chartRequests: {
    en: 'Requests in the period',
    fr: 'Demandes de la période',
    vi: 'Yêu cầu trong kỳ',
    ar: 'الطلبات خلال الفترة',
    zh: '本期请求',
    ru: 'Запросы за период',
    es: 'Solicitudes del período',
  },
  chartTimes: {
    en: 'Median response time (hours)',
    fr: 'Délai de réponse médian (heures)',
    vi: 'Thời gian phản hồi trung vị (giờ)',
    ar: 'الوسيط لزمن الرد (ساعات)',
    zh: '答复时间中位数（小时）',
    ru: 'Медианное время ответа (часы)',
    es: 'Tiempo de respuesta mediano (horas)',
  },
  chartPartners: {
    en: 'Requests received by partner State',
    fr: 'Demandes reçues par État partenaire',
    vi: 'Yêu cầu nhận được theo Quốc gia đối tác',
    ar: 'الطلبات الواردة حسب الدولة الشريكة',
    zh: '按伙伴国分列的已收到请求',
    ru: 'Полученные запросы по государствам-партнёрам',
    es: 'Solicitudes recibidas por Estado asociado',
  },
  withheld: {
    en: 'withheld',
    fr: 'non publié',
    vi: 'không công bố',
    ar: 'محجوب',
    zh: '不予公布',
    ru: 'не публикуется',
    es: 'no publicado',
  },
  figures: {
    en: 'All figures',
    fr: 'Tous les chiffres',
    vi: 'Toàn bộ số liệu',
    ar: 'جميع الأرقام',
    zh: '全部数字',
    ru: 'Все показатели',
    es: 'Todas las cifras',
  },
  definitions: {
    en: 'How each indicator is defined',
    fr: 'Définition de chaque indicateur',
    vi: 'Định nghĩa từng chỉ số',
    ar: 'تعريف كل مؤشر',
    zh: '各项指标的定义',
    ru: 'Как определяется каждый показатель',
    es: 'Cómo se define cada indicador',
  },
  verification: {
    en: 'Signed by the node with key {kid}, together with its audit log at {size} entries (root {root}). Check the signed file with: hanoi247 report verify FILE',
    fr: 'Signé par le nœud avec la clé {kid}, avec son journal d’audit à {size} entrées (racine {root}). Vérifiez le fichier signé avec : hanoi247 report verify FICHIER',
    vi: 'Được nút ký bằng khóa {kid}, cùng với nhật ký kiểm toán tại {size} mục (gốc {root}). Kiểm tra tệp đã ký bằng: hanoi247 report verify TỆP',
    ar: 'وقّعته العقدة بالمفتاح {kid} مع سجل التدقيق عند {size} قيدًا (الجذر {root}). تحقق من الملف الموقع بالأمر: hanoi247 report verify FILE',
    zh: '由节点以密钥 {kid} 签名，连同审计日志（{size} 条记录，根 {root}）。用以下命令核查已签名文件：hanoi247 report verify FILE',
    ru: 'Подписан узлом ключом {kid} вместе с журналом аудита на {size} записей (корень {root}). Проверьте подписанный файл командой: hanoi247 report verify ФАЙЛ',
    es: 'Firmado por el nodo con la clave {kid}, junto con su registro de auditoría de {size} entradas (raíz {root}). Compruebe el archivo firmado con: hanoi247 report verify ARCHIVO',
  },
  reportId: {
    en: 'Report',
    fr: 'Rapport',
    vi: 'Báo cáo',
    ar: 'التقرير',
    zh: '报告',
    ru: 'Отчёт',
    es: 'Informe',
  },
} as const satisfies Record<string, Seven>;

export type PrintKey = keyof typeof PRINT_TEXT;

/** A printed text in a language, with its `{name}` values filled in. */
export function printText(
  key: PrintKey,
  lang: ReportLanguage,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return PRINT_TEXT[key][lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in values ? String(values[name]) : m,
  );
}
