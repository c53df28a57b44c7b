// The words of the after-action report in the seven languages of the desk. Arabic and Chinese are
// printed as HTML (the PDF fonts carry neither script well), like the printed request.
// Drafts awaiting review by a native speaker: ar, zh, ru, es.
import type { ActionKind, InjectKind } from './scenario-schema.ts';
import type { Outcome } from './scoring.ts';

export const REPORT_LANGUAGES = ['en', 'fr', 'vi', 'ar', 'zh', 'ru', 'es'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export function isReportLanguage(value: unknown): value is ReportLanguage {
  return typeof value === 'string' && (REPORT_LANGUAGES as readonly string[]).includes(value);
}

export type ReportWords = {
  banner: string;
  title: string;
  exercise: string;
  state: string;
  status: string;
  generated: string;
  score: string;
  actions: string;
  timeline: string;
  target: string;
  taken: string;
  minutes: string;
  outcome: Record<Outcome, string>;
  action: Record<ActionKind, string>;
  inject: Record<InjectKind, string>;
  timelineKind: Record<'inject' | 'action' | 'clock' | 'message', string>;
  statusName: Record<'running' | 'paused' | 'ended', string>;
};

const en: ReportWords = {
  banner: 'EXERCISE — NOT A REAL CASE',
  title: 'After-action report',
  exercise: 'Exercise',
  state: 'State',
  status: 'Status',
  generated: 'Generated',
  score: 'Score',
  actions: 'Expected actions',
  timeline: 'Timeline',
  target: 'Target',
  taken: 'Taken',
  minutes: 'min',
  outcome: { pending: 'pending', met: 'met', late: 'late', missed: 'missed', wrong: 'wrong' },
  action: {
    acknowledge: 'Acknowledge the request',
    choose_legal_basis: 'Choose the legal basis',
    refuse: 'Refuse on a valid ground',
    preserve: 'Preserve the data',
    share_indicator: 'Share the indicator with the right TLP',
    send_request: 'Send the request',
    execute: 'Execute the request',
  },
  inject: {
    incoming_request: 'Incoming request',
    hub_alert: 'Hub alert',
    provider_late: 'Provider answers late',
    partner_offline: 'Partner node offline',
    manual: 'Controller message',
  },
  timelineKind: { inject: 'inject', action: 'action', clock: 'clock', message: 'message' },
  statusName: { running: 'running', paused: 'paused', ended: 'ended' },
};

const fr: ReportWords = {
  banner: 'EXERCICE — PAS UNE AFFAIRE RÉELLE',
  title: 'Rapport après action',
  exercise: 'Exercice',
  state: 'État',
  status: 'Statut',
  generated: 'Établi le',
  score: 'Résultat',
  actions: 'Actions attendues',
  timeline: 'Chronologie',
  target: 'Cible',
  taken: 'Délai',
  minutes: 'min',
  outcome: { pending: 'en attente', met: 'atteint', late: 'en retard', missed: 'manqué', wrong: 'erroné' },
  action: {
    acknowledge: 'Accuser réception de la demande',
    choose_legal_basis: 'Choisir la base juridique',
    refuse: 'Refuser pour un motif valable',
    preserve: 'Conserver les données',
    share_indicator: "Partager l'indicateur avec le bon TLP",
    send_request: 'Envoyer la demande',
    execute: 'Exécuter la demande',
  },
  inject: {
    incoming_request: 'Demande reçue',
    hub_alert: 'Alerte du hub',
    provider_late: 'Le fournisseur répond en retard',
    partner_offline: 'Nœud partenaire hors ligne',
    manual: 'Message du contrôleur',
  },
  timelineKind: { inject: 'événement', action: 'action', clock: 'horloge', message: 'message' },
  statusName: { running: 'en cours', paused: 'en pause', ended: 'terminé' },
};

const vi: ReportWords = {
  banner: 'DIỄN TẬP — KHÔNG PHẢI VỤ VIỆC THẬT',
  title: 'Báo cáo sau diễn tập',
  exercise: 'Diễn tập',
  state: 'Quốc gia',
  status: 'Trạng thái',
  generated: 'Lập lúc',
  score: 'Kết quả',
  actions: 'Hành động dự kiến',
  timeline: 'Diễn biến',
  target: 'Mục tiêu',
  taken: 'Thời gian',
  minutes: 'phút',
  outcome: { pending: 'đang chờ', met: 'đạt', late: 'trễ', missed: 'bỏ lỡ', wrong: 'sai' },
  action: {
    acknowledge: 'Xác nhận đã nhận yêu cầu',
    choose_legal_basis: 'Chọn căn cứ pháp lý',
    refuse: 'Từ chối với lý do hợp lệ',
    preserve: 'Bảo quản dữ liệu',
    share_indicator: 'Chia sẻ dấu hiệu với mức TLP đúng',
    send_request: 'Gửi yêu cầu',
    execute: 'Thực hiện yêu cầu',
  },
  inject: {
    incoming_request: 'Yêu cầu đến',
    hub_alert: 'Cảnh báo của trung tâm',
    provider_late: 'Nhà cung cấp trả lời muộn',
    partner_offline: 'Nút đối tác ngoại tuyến',
    manual: 'Thông điệp của người điều hành',
  },
  timelineKind: { inject: 'tình huống', action: 'hành động', clock: 'đồng hồ', message: 'thông điệp' },
  statusName: { running: 'đang diễn ra', paused: 'tạm dừng', ended: 'đã kết thúc' },
};

const ar: ReportWords = {
  banner: 'تمرين — ليست قضية حقيقية',
  title: 'تقرير ما بعد التمرين',
  exercise: 'التمرين',
  state: 'الدولة',
  status: 'الحالة',
  generated: 'أُعدّ في',
  score: 'النتيجة',
  actions: 'الإجراءات المتوقعة',
  timeline: 'التسلسل الزمني',
  target: 'المهلة',
  taken: 'المدة',
  minutes: 'دقيقة',
  outcome: { pending: 'قيد الانتظار', met: 'مُنجز', late: 'متأخر', missed: 'فائت', wrong: 'خاطئ' },
  action: {
    acknowledge: 'الإقرار باستلام الطلب',
    choose_legal_basis: 'اختيار الأساس القانوني',
    refuse: 'الرفض لسبب مشروع',
    preserve: 'حفظ البيانات',
    share_indicator: 'مشاركة المؤشر بمستوى TLP الصحيح',
    send_request: 'إرسال الطلب',
    execute: 'تنفيذ الطلب',
  },
  inject: {
    incoming_request: 'طلب وارد',
    hub_alert: 'تنبيه من المركز',
    provider_late: 'تأخر مزوّد الخدمة في الرد',
    partner_offline: 'عقدة الشريك غير متصلة',
    manual: 'رسالة من المراقب',
  },
  timelineKind: { inject: 'حدث', action: 'إجراء', clock: 'الساعة', message: 'رسالة' },
  statusName: { running: 'جارٍ', paused: 'متوقف مؤقتًا', ended: 'منتهٍ' },
};

const zh: ReportWords = {
  banner: '演练 — 非真实案件',
  title: '演练后评估报告',
  exercise: '演练',
  state: '国家',
  status: '状态',
  generated: '生成时间',
  score: '得分',
  actions: '预期行动',
  timeline: '时间线',
  target: '目标时限',
  taken: '用时',
  minutes: '分钟',
  outcome: { pending: '待定', met: '达成', late: '迟延', missed: '未完成', wrong: '错误' },
  action: {
    acknowledge: '确认收到请求',
    choose_legal_basis: '选择法律依据',
    refuse: '以有效理由拒绝',
    preserve: '保全数据',
    share_indicator: '以正确的 TLP 共享指标',
    send_request: '发送请求',
    execute: '执行请求',
  },
  inject: {
    incoming_request: '收到请求',
    hub_alert: '中心警报',
    provider_late: '服务提供者迟延答复',
    partner_offline: '伙伴节点离线',
    manual: '导调员消息',
  },
  timelineKind: { inject: '情景注入', action: '行动', clock: '时钟', message: '消息' },
  statusName: { running: '进行中', paused: '已暂停', ended: '已结束' },
};

const ru: ReportWords = {
  banner: 'УЧЕНИЯ — НЕ РЕАЛЬНОЕ ДЕЛО',
  title: 'Отчёт по итогам учений',
  exercise: 'Учения',
  state: 'Государство',
  status: 'Статус',
  generated: 'Составлен',
  score: 'Результат',
  actions: 'Ожидаемые действия',
  timeline: 'Хронология',
  target: 'Срок',
  taken: 'Затрачено',
  minutes: 'мин',
  outcome: {
    pending: 'ожидается',
    met: 'выполнено',
    late: 'с опозданием',
    missed: 'пропущено',
    wrong: 'неверно',
  },
  action: {
    acknowledge: 'Подтвердить получение запроса',
    choose_legal_basis: 'Выбрать правовое основание',
    refuse: 'Отказать по законному основанию',
    preserve: 'Обеспечить сохранность данных',
    share_indicator: 'Передать индикатор с верным TLP',
    send_request: 'Направить запрос',
    execute: 'Исполнить запрос',
  },
  inject: {
    incoming_request: 'Входящий запрос',
    hub_alert: 'Оповещение центра',
    provider_late: 'Провайдер отвечает с опозданием',
    partner_offline: 'Узел партнёра недоступен',
    manual: 'Сообщение руководителя учений',
  },
  timelineKind: { inject: 'вводная', action: 'действие', clock: 'часы', message: 'сообщение' },
  statusName: { running: 'идут', paused: 'приостановлены', ended: 'завершены' },
};

const es: ReportWords = {
  banner: 'EJERCICIO — NO ES UN CASO REAL',
  title: 'Informe posterior al ejercicio',
  exercise: 'Ejercicio',
  state: 'Estado',
  status: 'Estado del ejercicio',
  generated: 'Generado',
  score: 'Resultado',
  actions: 'Acciones esperadas',
  timeline: 'Cronología',
  target: 'Plazo',
  taken: 'Tiempo',
  minutes: 'min',
  outcome: { pending: 'pendiente', met: 'cumplida', late: 'tardía', missed: 'omitida', wrong: 'errónea' },
  action: {
    acknowledge: 'Acusar recibo de la solicitud',
    choose_legal_basis: 'Elegir la base jurídica',
    refuse: 'Denegar por un motivo válido',
    preserve: 'Conservar los datos',
    share_indicator: 'Compartir el indicador con el TLP correcto',
    send_request: 'Enviar la solicitud',
    execute: 'Ejecutar la solicitud',
  },
  inject: {
    incoming_request: 'Solicitud recibida',
    hub_alert: 'Alerta del centro',
    provider_late: 'El proveedor responde tarde',
    partner_offline: 'Nodo asociado fuera de línea',
    manual: 'Mensaje del controlador',
  },
  timelineKind: { inject: 'inyección', action: 'acción', clock: 'reloj', message: 'mensaje' },
  statusName: { running: 'en curso', paused: 'en pausa', ended: 'terminado' },
};

export const REPORT_WORDS: Readonly<Record<ReportLanguage, ReportWords>> = { en, fr, vi, ar, zh, ru, es };

/**
 * The EXERCISE banner every printed form of an exercise opens with (request forms, custody reports,
 * delivery notes, READMEs), in `lang`; null for real work, whose forms carry none.
 */
export function exerciseBanner(exerciseId: string | null | undefined, lang: ReportLanguage): string | null {
  return exerciseId ? REPORT_WORDS[lang].banner : null;
}

/** The banner as the first lines of a plain-text document (a README, a delivery note); '' for real work. */
export function exerciseBannerText(exerciseId: string | null | undefined, lang: ReportLanguage): string {
  const banner = exerciseBanner(exerciseId, lang);
  return banner ? `*** ${banner} ***\n\n` : '';
}
