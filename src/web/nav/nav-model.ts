// Which pages exist and who may open them. Pure data so the shell, the router and the tests share it;
// a page that arrives later (requests, federation, early warning) is one more row here.
import type { Role } from '../../domain/codes.ts';
import { EXERCISE_CONTROLLERS, EXERCISE_READERS } from '../exercises/exercise-types.ts';

export type PageId =
  | 'desk'
  | 'composer'
  | 'requests'
  | 'requestDetail'
  | 'requestPrint'
  | 'approvals'
  | 'audit'
  | 'users'
  | 'directory'
  | 'legalBasis'
  | 'controlRoom'
  | 'exercise'
  | 'account'
  | 'notifications'
  | 'indicators';

export type PageDef = {
  id: PageId;
  /** Path pattern; `:name` matches one segment. */
  path: string;
  /** Roles that may open it, or every signed-in user. */
  roles: readonly Role[] | 'everyone';
  /** Shown in the navigation (a detail page is reached from its list instead). */
  inNav: boolean;
  /** Not built yet: reachable by its address, left out of the navigation. */
  placeholder?: true;
};

// As the request API allows (src/api/routes/requests/request-access.ts).
const DRAFTERS: readonly Role[] = ['DUTY_OFFICER', 'INVESTIGATOR', 'CENTRAL_AUTHORITY'];
const READERS: readonly Role[] = [...DRAFTERS, 'APPROVER', 'AUDITOR'];

export const PAGES: readonly PageDef[] = [
  { id: 'desk', path: '/desk', roles: ['DUTY_OFFICER'], inNav: true },
  // The 24/7 point drafts expedited preservation itself (art. 42), so it composes too.
  { id: 'composer', path: '/composer', roles: DRAFTERS, inNav: true },
  { id: 'approvals', path: '/approvals', roles: ['APPROVER'], inNav: true },
  { id: 'requests', path: '/requests', roles: READERS, inNav: true },
  { id: 'requestDetail', path: '/requests/:id', roles: READERS, inNav: false },
  { id: 'requestPrint', path: '/requests/:id/print', roles: READERS, inNav: false },
  { id: 'directory', path: '/directory', roles: 'everyone', inNav: true },
  // Every signed-in user may read the notifications addressed to them or to one of their roles, as
  // the API allows (src/api/routes/requests/notification-routes.ts). After the directory, so a role's
  // first page (where it lands after sign-in) stays its own work.
  { id: 'notifications', path: '/notifications', roles: 'everyone', inNav: true },
  // As the indicator API allows (src/api/routes/reports/report-routes.ts).
  { id: 'indicators', path: '/indicators', roles: ['APPROVER', 'ADMIN', 'AUDITOR'], inNav: true },
  // The API lets administrators read the log too (oversight); the page follows the API.
  { id: 'audit', path: '/audit', roles: ['AUDITOR', 'ADMIN'], inNav: true, placeholder: true },
  { id: 'users', path: '/users', roles: ['ADMIN'], inNav: true },
  { id: 'legalBasis', path: '/legal-basis', roles: 'everyone', inNav: true, placeholder: true },
  // Joint exercises (issue 18): the controller's room and every participant's view, as the API allows.
  { id: 'controlRoom', path: '/exercises/control', roles: EXERCISE_CONTROLLERS, inNav: true },
  { id: 'exercise', path: '/exercise', roles: EXERCISE_READERS, inNav: true },
  { id: 'account', path: '/account', roles: 'everyone', inNav: true },
];

/** True when one of the roles may open the page. */
export function mayOpen(page: PageDef, roles: readonly Role[]): boolean {
  return page.roles === 'everyone' || page.roles.some((r) => roles.includes(r));
}

/** The navigation for these roles, in display order: only the pages they may use, and only built ones. */
export function navFor(roles: readonly Role[]): PageDef[] {
  return PAGES.filter((p) => p.inNav && !p.placeholder && mayOpen(p, roles));
}

/** Where to land after sign-in: the first page of the user's own work. */
export function homeFor(roles: readonly Role[]): string {
  return navFor(roles)[0]?.path ?? '/directory';
}

export type RouteMatch = { page: PageDef; params: Record<string, string> };

/** Finds the page for a path, with its `:params` decoded. */
export function matchPath(pathname: string): RouteMatch | null {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const page of PAGES) {
    const pattern = page.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = safeDecode(part);
        return true;
      }
      return seg === part;
    });
    if (ok) return { page, params };
  }
  return null;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
