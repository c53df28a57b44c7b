// The shell: DEMO DATA banner, EXERCISE banner (while the page shows an exercise), navigation for the user's roles, language switcher, then the page.
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Button, Link, RouterProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ExerciseBanner } from '../components/ExerciseMark.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { ControlRoom } from '../exercises/ControlRoom.tsx';
import { ExerciseView } from '../exercises/ExerciseView.tsx';
import { homeFor, matchPath, mayOpen, navFor, type PageId } from '../nav/nav-model.ts';
import { clearUnread, refreshUnread, useUnreadCount } from '../notifications/unread-count.ts';
import { Account } from '../pages/Account.tsx';
import { Approvals } from '../pages/Approvals.tsx';
import { Composer } from '../pages/Composer.tsx';
import { Directory } from '../pages/Directory.tsx';
import { RequestDetail } from '../pages/RequestDetail.tsx';
import { RequestList } from '../pages/RequestList.tsx';
import { RequestPrint } from '../pages/RequestPrint.tsx';
import { ResetPassword } from '../pages/ResetPassword.tsx';
import { SignIn } from '../pages/SignIn.tsx';
import { Users } from '../pages/Users.tsx';
import { navigate, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

// Chart.js is loaded with the pages that draw charts, not with the rest of the desk.
const Transparency = lazy(() =>
  import('../pages/indicators/Transparency.tsx').then((m) => ({ default: m.Transparency })),
);
const DeskIndicators = lazy(() =>
  import('../pages/indicators/DeskIndicators.tsx').then((m) => ({ default: m.DeskIndicators })),
);

// Loaded when opened: the first paint is over its JavaScript budget already (src/web/vite.config.ts).
const Notifications = lazy(() =>
  import('../pages/Notifications.tsx').then((m) => ({ default: m.Notifications })),
);

/** The public page of released reports (no sign-in). */
const TRANSPARENCY_PATH = '/transparency';

export function App() {
  return (
    <RouterProvider navigate={(to) => navigate(to)}>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </RouterProvider>
  );
}

function DemoBanner() {
  const { t } = useTranslation();
  const { demo } = useSession();
  if (!demo) return null;
  return (
    <div className="demo-banner" role="note">
      <strong>{t('app.demoData')}</strong> <span>{t('app.demoDataDetail')}</span>
    </div>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { state, node, signOut } = useSession();
  const { pathname, search } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const unread = useUnreadCount();

  // A new page moves the focus to its content, as a page load would for a screen reader.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change
  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  // On a phone the navigation scrolls sideways: the current page's link is brought into view, again
  // at sign-in (the navigation appears) and when the unread count arrives (it widens its link).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on those changes, reads the DOM
  useEffect(() => {
    document
      .querySelector('.main-nav [aria-current="page"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [pathname, state.phase, unread?.count]);

  const signedIn = state.phase === 'signedIn';
  // The transparency page is public: shown to anyone, signed in or not.
  const isPublic = pathname.replace(/\/+$/, '') === TRANSPARENCY_PATH;
  const roles = signedIn ? state.me.effectiveRoles : [];
  useEffect(() => {
    if (signedIn && (pathname === '/' || pathname === '')) navigate(homeFor(roles), { replace: true });
  }, [signedIn, pathname, roles]);

  // The unread count: asked again on every page change and once a minute, since a deadline fires on
  // the node without anything changing in this tab.
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked again on every page change
  useEffect(() => {
    if (!signedIn) return clearUnread();
    void refreshUnread();
    const every = window.setInterval(() => void refreshUnread(), 60_000);
    return () => window.clearInterval(every);
  }, [signedIn, pathname]);

  return (
    <>
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <DemoBanner />
      <ExerciseBanner />
      <header className="top">
        <div className="brand">
          <span className="name">{t('app.name')}</span>
          <span className="tagline">
            {t('app.tagline')}
            {node ? ` · ${t('app.nodeOf', { state: node.name || node.state })}` : ''}
          </span>
        </div>
        <LanguageSwitcher />
        {signedIn ? (
          <div className="who">
            <span>{t('app.signedInAs', { name: state.me.user.displayName })}</span>
            <Button className="button small" onPress={() => void signOut()}>
              {t('app.signOut')}
            </Button>
          </div>
        ) : null}
      </header>
      {signedIn ? (
        <nav aria-label={t('app.mainNav')} className="main-nav">
          <ul>
            {navFor(roles).map((p) => (
              <li key={p.id}>
                <Link
                  href={p.path}
                  aria-current={pathname === p.path ? 'page' : undefined}
                  className="nav-link"
                >
                  {t(`nav.${p.id}`)}
                  {p.id === 'notifications' ? <UnreadBadge /> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" ref={mainRef} tabIndex={-1}>
        {isPublic ? (
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <Transparency />
          </Suspense>
        ) : null}
        {!isPublic && state.phase === 'loading' ? <p aria-busy="true">{t('app.loading')}</p> : null}
        {state.phase === 'signedOut' && !isPublic && pathname !== '/reset-password' ? (
          <>
            <SignIn />
            <p className="public-link">
              <Link href={TRANSPARENCY_PATH}>{t('transparency.publicReports')}</Link>
            </p>
          </>
        ) : null}
        {state.phase === 'signedOut' && pathname === '/reset-password' ? (
          <ResetPassword search={search} />
        ) : null}
        {signedIn && !isPublic && state.me.user.mustChangePassword ? <Account mustChange /> : null}
        {signedIn && !isPublic && !state.me.user.mustChangePassword ? (
          <Page pathname={pathname} roles={roles} />
        ) : null}
      </main>
    </>
  );
}

/** The unread count beside "Notifications": a number a screen reader reads as words too. */
function UnreadBadge() {
  const { t, i18n } = useTranslation();
  const unread = useUnreadCount();
  if (!unread || unread.count === 0) return null;
  const number = new Intl.NumberFormat(i18n.language).format(unread.count);
  const shown = unread.more ? t('notifications.countMore', { number }) : number;
  return (
    <>
      {' '}
      <span className="badge unread-count" aria-hidden="true">
        {shown}
      </span>
      <span className="visually-hidden">
        {unread.more
          ? t('notifications.unreadMore', { number })
          : t('notifications.unreadCount', { count: unread.count })}
      </span>
    </>
  );
}

function Page({ pathname, roles }: { pathname: string; roles: Parameters<typeof navFor>[0] }) {
  const { t } = useTranslation();
  const match = matchPath(pathname);
  if (!match) {
    return (
      <section>
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <Link href={homeFor(roles)}>{t('notFound.home')}</Link>
      </section>
    );
  }
  if (!mayOpen(match.page, roles)) {
    const needed = match.page.roles === 'everyone' ? [] : match.page.roles;
    return (
      <section>
        <h1>{t('forbidden.title')}</h1>
        <p>{t('forbidden.body', { roles: needed.map((r) => t(`roles.${r}`)).join(', ') })}</p>
      </section>
    );
  }
  return <PageContent id={match.page.id} params={match.params} />;
}

function PageContent({ id, params }: { id: PageId; params: Record<string, string> }) {
  const { t } = useTranslation();
  switch (id) {
    case 'desk':
      return <RequestList key="desk" variant="desk" />;
    case 'requests':
      return <RequestList key="requests" variant="requests" />;
    case 'approvals':
      return <Approvals />;
    case 'directory':
      return <Directory />;
    case 'account':
      return <Account />;
    case 'notifications':
      return (
        <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
          <Notifications />
        </Suspense>
      );
    case 'users':
      return <Users />;
    case 'requestPrint':
      return <RequestPrint key={params.id} id={params.id ?? ''} />;
    case 'composer':
      return <Composer />;
    case 'controlRoom':
      return <ControlRoom />;
    case 'exercise':
      return <ExerciseView />;
    case 'indicators':
      return (
        <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
          <DeskIndicators />
        </Suspense>
      );
    case 'requestDetail':
      return <RequestDetail key={params.id} id={params.id ?? ''} />;
    default:
      return (
        <section>
          <h1>{t(`nav.${id}`)}</h1>
          <p className="notice">{t('placeholder.badge')}</p>
        </section>
      );
  }
}
