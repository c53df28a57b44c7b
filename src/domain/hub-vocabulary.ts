// The early-warning hub's words: kinds of member organisation, sharing group, alert and report, and
// the states of an alert. Plain constants, apart from the tables that store them
// (src/store/schema/hub.ts), so the CLI can name them in its option text without loading Drizzle.

export const HUB_ORG_KINDS = ['bank', 'telecom', 'platform', 'cert', 'law_enforcement', 'regulator'] as const;
export const HUB_GROUP_KINDS = ['national', 'regional', 'bilateral'] as const;
export const HUB_ALERT_KINDS = [
  'scam_campaign',
  'ransomware',
  'crypto_fraud',
  'csam_infrastructure',
] as const;
export const HUB_ALERT_STATUSES = ['active', 'revoked'] as const;
export const HUB_REPORT_KINDS = ['sighting', 'false_positive'] as const;
