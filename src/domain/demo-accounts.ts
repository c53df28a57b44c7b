// The demo network's accounts: one per role, one password for all. Demo only: a demo node prints them
// at start and shows them on its sign-in page; a production node never has them.
import type { Role } from './codes.ts';

export const DEMO_PASSWORD = 'hanoi247-demo';

/** One demo account per role; the password is the same for all and printed at start. */
export const DEMO_USERS: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'duty', displayName: 'Duty officer (24/7)', roles: ['DUTY_OFFICER'] },
  { username: 'lawyer', displayName: 'Central-authority officer', roles: ['CENTRAL_AUTHORITY'] },
  { username: 'investigator', displayName: 'Investigator', roles: ['INVESTIGATOR'] },
  { username: 'approver', displayName: 'Approver', roles: ['APPROVER'] },
  { username: 'liaison', displayName: 'Bank liaison', roles: ['PRIVATE_LIAISON'] },
  { username: 'cert', displayName: 'CERT analyst', roles: ['CERT_ANALYST'] },
  { username: 'auditor', displayName: 'Oversight auditor', roles: ['AUDITOR'] },
  { username: 'admin', displayName: 'Administrator', roles: ['ADMIN'] },
];
