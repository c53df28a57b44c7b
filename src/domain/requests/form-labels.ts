// Labels of the printable formal request in the six UN languages and Vietnamese: EN, FR, VI here,
// AR, ZH, RU, ES in form-labels-un.ts. Field names follow the request schemas.
import type { RequestType } from '../codes.ts';
import { FIELD_LABELS_UN, FORM_TEXT_UN, TYPE_TITLES_UN, UN_FORM_LANGUAGES } from './form-labels-un.ts';

export const FORM_LANGUAGES = ['en', 'fr', 'vi', ...UN_FORM_LANGUAGES] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];

type Label = Record<FormLanguage, string>;
type BaseLabel = Record<'en' | 'fr' | 'vi', string>;
const l = (en: string, fr: string, vi: string): BaseLabel => ({ en, fr, vi });

/** The three-language labels completed with the four UN languages (English where one is missing). */
function withUn<K extends string>(
  base: Record<K, BaseLabel>,
  un: Partial<Record<string, readonly [string, string, string, string]>>,
): Record<K, Label> {
  const out = {} as Record<K, Label>;
  for (const key of Object.keys(base) as K[]) {
    const b = base[key];
    const [ar, zh, ru, es] = un[key] ?? [b.en, b.en, b.en, b.en];
    out[key] = { ...b, ar, zh, ru, es };
  }
  return out;
}

const BASE_FIELD_LABELS = {
  caseReference: l('Case reference', 'Référence du dossier', 'Số hồ sơ vụ việc'),
  requestingState: l('Requesting State', 'État requérant', 'Quốc gia yêu cầu'),
  requestedState: l('Requested State', 'État requis', 'Quốc gia được yêu cầu'),
  requestingAuthority: l('Requesting authority', 'Autorité requérante', 'Cơ quan yêu cầu'),
  requestedAuthority: l('Requested authority', 'Autorité requise', 'Cơ quan được yêu cầu'),
  channel: l('Channel', 'Voie de transmission', 'Kênh chuyển giao'),
  legalBasis: l('Legal basis', 'Base juridique', 'Cơ sở pháp lý'),
  treatyRef: l('Treaty', 'Traité', 'Điều ước'),
  reciprocityUndertaking: l(
    'Undertaking of reciprocity',
    'Engagement de réciprocité',
    'Cam kết có đi có lại',
  ),
  offences: l('Offences', 'Infractions', 'Tội phạm'),
  factsSummary: l('Summary of the facts', 'Résumé des faits', 'Tóm tắt sự việc'),
  urgency: l('Urgency', 'Urgence', 'Mức độ khẩn cấp'),
  emergencyJustification: l(
    'Risk to life or safety',
    'Risque pour la vie ou la sécurité',
    'Nguy cơ đối với tính mạng hoặc an toàn',
  ),
  confidentialityRequired: l('Confidentiality requested', 'Confidentialité demandée', 'Yêu cầu bảo mật'),
  persons: l('Persons concerned', 'Personnes concernées', 'Người có liên quan'),
  identifiers: l('Identifiers', 'Identifiants', 'Thông tin định danh'),
  deadline: l('Deadline requested', 'Délai demandé', 'Thời hạn đề nghị'),
  deadlineReason: l('Reasons for the deadline', 'Motifs du délai', 'Lý do của thời hạn'),
  linkedRequestIds: l('Related requests', 'Demandes liées', 'Yêu cầu liên quan'),
  dataCategories: l('Categories of data', 'Catégories de données', 'Loại dữ liệu'),
  dateRange: l('Period of the data', 'Période des données', 'Khoảng thời gian của dữ liệu'),
  relationToOffence: l('Relation to the offence', "Lien avec l'infraction", 'Mối liên hệ với tội phạm'),
  custodianOrLocation: l(
    'Custodian or location of the data',
    'Détenteur ou localisation des données',
    'Bên lưu giữ hoặc vị trí dữ liệu',
  ),
  necessity: l('Need for preservation', 'Nécessité de la conservation', 'Sự cần thiết phải bảo quản'),
  intentToFollowUp: l(
    'A request for mutual legal assistance will follow',
    "Une demande d'entraide judiciaire suivra",
    'Yêu cầu tương trợ tư pháp sẽ được gửi tiếp theo',
  ),
  linkedPreservationId: l('Preservation request', 'Demande de conservation', 'Yêu cầu bảo quản'),
  providerName: l('Service provider', 'Fournisseur de services', 'Nhà cung cấp dịch vụ'),
  providerCountry: l('State of the provider', 'État du fournisseur', 'Quốc gia của nhà cung cấp'),
  pathHops: l('Path of the communication', 'Chemin de la communication', 'Đường truyền của liên lạc'),
  proceeding: l('Proceeding', 'Procédure', 'Thủ tục tố tụng'),
  purpose: l('Purpose', 'Objet', 'Mục đích'),
  assistanceSought: l('Assistance sought', 'Entraide demandée', 'Nội dung tương trợ đề nghị'),
  procedureToFollow: l('Procedure to follow', 'Procédure à suivre', 'Thủ tục cần tuân thủ'),
  necessityJustification: l('Necessity', 'Nécessité', 'Tính cần thiết'),
  proportionalityJustification: l('Proportionality', 'Proportionnalité', 'Tính tương xứng'),
  dataSought: l('Data sought', 'Données demandées', 'Dữ liệu đề nghị'),
  vulnerableToLoss: l(
    'Data vulnerable to loss',
    'Données susceptibles de perte',
    'Dữ liệu có nguy cơ bị mất',
  ),
  targetedData: l(
    'Targeted data or communications',
    'Données ou communications visées',
    'Dữ liệu hoặc liên lạc được nhắm tới',
  ),
  collectionWindow: l('Period of collection', 'Période de collecte', 'Thời gian thu thập'),
  durationJustification: l('Reasons for the duration', 'Motifs de la durée', 'Lý do của thời hạn thu thập'),
  authorisation: l('Authorisation', 'Autorisation', 'Phê chuẩn'),
  assistanceKind: l('Assistance sought', 'Assistance demandée', 'Hỗ trợ đề nghị'),
  question: l('Question', 'Question', 'Câu hỏi'),
  informationSummary: l('Information', 'Informations', 'Thông tin'),
  useRestrictions: l('Conditions of use', "Conditions d'utilisation", 'Điều kiện sử dụng'),
  cooperationKind: l('Subject of cooperation', 'Objet de la coopération', 'Nội dung hợp tác'),
  participatingStates: l('Participating States', 'États participants', 'Các quốc gia tham gia'),
  durationMonths: l('Duration (months)', 'Durée (mois)', 'Thời hạn (tháng)'),
  dataSharingRules: l('Sharing of information', 'Partage des informations', 'Chia sẻ thông tin'),
  costs: l('Costs', 'Frais', 'Chi phí'),
  personSought: l('Person sought', 'Personne recherchée', 'Người bị truy tìm'),
  warrant: l('Warrant or judgment', "Mandat d'arrêt ou jugement", 'Lệnh bắt hoặc bản án'),
  penaltyText: l('Offence and penalty', 'Infraction et peine', 'Tội danh và hình phạt'),
  nationalOfRequested: l(
    'National of the requested State',
    "Ressortissant de l'État requis",
    'Công dân của quốc gia được yêu cầu',
  ),
  assurances: l('Assurances', 'Garanties', 'Bảo đảm'),
  urgencyReason: l('Reasons for urgency', "Motifs de l'urgence", 'Lý do khẩn cấp'),
  extraditionRequestBy: l(
    'Extradition request to follow by',
    "Demande d'extradition à suivre avant le",
    'Yêu cầu dẫn độ sẽ được gửi trước ngày',
  ),
};

export const FIELD_LABELS: Readonly<Record<string, Label>> = withUn(BASE_FIELD_LABELS, FIELD_LABELS_UN);

const BASE_TYPE_TITLES: Record<RequestType, BaseLabel> = {
  PRESERVATION: l(
    'Request for expedited preservation of stored data',
    'Demande de conservation rapide de données stockées',
    'Yêu cầu bảo quản nhanh dữ liệu được lưu trữ',
  ),
  TRAFFIC_DATA_DISCLOSURE: l(
    'Expedited disclosure of preserved traffic data',
    'Divulgation rapide de données relatives au trafic conservées',
    'Cung cấp nhanh dữ liệu lưu lượng đã được bảo quản',
  ),
  MLA_GENERAL: l(
    'Request for mutual legal assistance',
    "Demande d'entraide judiciaire",
    'Yêu cầu tương trợ tư pháp',
  ),
  MLA_STORED_DATA: l(
    'Request for mutual legal assistance: access to stored data',
    "Demande d'entraide : accès à des données stockées",
    'Yêu cầu tương trợ tư pháp: truy cập dữ liệu được lưu trữ',
  ),
  MLA_REALTIME_TRAFFIC: l(
    'Request for real-time collection of traffic data',
    'Demande de collecte en temps réel de données relatives au trafic',
    'Yêu cầu thu thập dữ liệu lưu lượng theo thời gian thực',
  ),
  MLA_INTERCEPTION: l(
    'Request for interception of content data',
    'Demande d’interception de données relatives au contenu',
    'Yêu cầu đánh chặn dữ liệu nội dung',
  ),
  EMERGENCY_DISCLOSURE: l(
    'Emergency disclosure request',
    'Demande de divulgation d’urgence',
    'Yêu cầu cung cấp khẩn cấp',
  ),
  ASSISTANCE_24_7: l(
    'Request to the 24/7 point of contact',
    'Demande au point de contact 24/7',
    'Yêu cầu gửi đầu mối liên lạc 24/7',
  ),
  SPONTANEOUS_INFORMATION: l(
    'Spontaneous information',
    'Informations spontanées',
    'Thông tin chủ động cung cấp',
  ),
  LE_COOPERATION: l(
    'Law-enforcement cooperation',
    'Coopération entre services de détection et de répression',
    'Hợp tác thực thi pháp luật',
  ),
  JOINT_INVESTIGATION: l(
    'Proposal of a joint investigation',
    "Proposition d'enquête conjointe",
    'Đề xuất điều tra chung',
  ),
  EXTRADITION: l('Request for extradition', "Demande d'extradition", 'Yêu cầu dẫn độ'),
  PROVISIONAL_ARREST: l(
    'Request for provisional arrest',
    "Demande d'arrestation provisoire",
    'Yêu cầu bắt giữ tạm thời',
  ),
};

export const TYPE_TITLES: Readonly<Record<RequestType, Label>> = withUn(BASE_TYPE_TITLES, TYPE_TITLES_UN);

const BASE_FORM_TEXT = {
  custodianUnknown: l(
    'Not known: no information on the custodian or the location of the data is available',
    "Inconnu : aucune information n'est disponible sur le détenteur ou la localisation des données",
    'Chưa xác định: không có thông tin về bên lưu giữ hoặc vị trí của dữ liệu',
  ),
  convention: l(
    'United Nations Convention against Cybercrime',
    'Convention des Nations Unies contre la cybercriminalité',
    'Công ước của Liên Hợp Quốc về chống tội phạm mạng',
  ),
  article: l('Article', 'Article', 'Điều'),
  yes: l('Yes', 'Oui', 'Có'),
  no: l('No', 'Non', 'Không'),
  status: l('Status', 'Statut', 'Trạng thái'),
  requestId: l('Request number', 'Numéro de la demande', 'Số yêu cầu'),
  date: l('Date', 'Date', 'Ngày'),
  signature: l('Signature and seal', 'Signature et sceau', 'Chữ ký và con dấu'),
  confidential: l('CONFIDENTIAL', 'CONFIDENTIEL', 'MẬT'),
  demo: l('DEMO DATA', 'DONNÉES DE DÉMONSTRATION', 'DỮ LIỆU MINH HỌA'),
  from: l('From', 'De', 'Từ'),
  to: l('To', 'À', 'Gửi'),
  upTo: l('up to {{penalty}}', "jusqu'à {{penalty}}", 'đến {{penalty}}'),
};

export const FORM_TEXT: Readonly<Record<keyof typeof BASE_FORM_TEXT, Label>> = withUn(
  BASE_FORM_TEXT,
  FORM_TEXT_UN,
);

/** Keys of each table without their four UN-language labels (a test keeps this empty). */
export function missingUnLabels(): string[] {
  const gaps = (base: object, un: object, name: string) =>
    Object.keys(base)
      .filter((k) => !(k in un))
      .map((k) => `${name}.${k}`);
  return [
    ...gaps(BASE_FIELD_LABELS, FIELD_LABELS_UN, 'field'),
    ...gaps(BASE_TYPE_TITLES, TYPE_TITLES_UN, 'title'),
    ...gaps(BASE_FORM_TEXT, FORM_TEXT_UN, 'text'),
  ];
}

/** The form language for a State's accepted languages: the first we print, else English. */
export function formLanguageFor(accepted: readonly string[]): FormLanguage {
  for (const lang of accepted) {
    const base = lang.toLowerCase().split('-')[0];
    if ((FORM_LANGUAGES as readonly string[]).includes(base ?? '')) return base as FormLanguage;
  }
  return 'en';
}
