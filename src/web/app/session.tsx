// Who is signed in, which node this is, and the directory (for partners' time zones), shared by every page.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, csrfToken, get, post, setCsrfToken, whenSignedOut } from '../api/client.ts';
import type { DirectoryAnswer, Me, NodeInfo, Party } from '../api/types.ts';

type SessionState =
  | { phase: 'loading' }
  | { phase: 'signedOut'; reason: 'none' | 'expired' | 'signedOut' | 'csrf' }
  | { phase: 'signedIn'; me: Me };

type Session = {
  state: SessionState;
  node: NodeInfo | null;
  parties: Map<string, Party>;
  /** The node runs on demonstration data (its own flag, or a directory marked as demo). */
  demo: boolean;
  signIn: (username: string, password: string, totp?: string) => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages shown after sign-in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.phase !== 'signedIn') throw new Error('not signed in');
  return state.me;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ phase: 'loading' });
  const [node, setNode] = useState<NodeInfo | null>(null);
  const [parties, setParties] = useState<Map<string, Party>>(new Map());
  const [directoryDemo, setDirectoryDemo] = useState(false);

  useEffect(() => {
    get<NodeInfo>('/api/v1/node').then(setNode, () => setNode(null));
    // Without the CSRF token of this tab's sign-in no change could be made: ask to sign in again.
    if (!csrfToken()) {
      setState({ phase: 'signedOut', reason: 'none' });
      return;
    }
    get<Me>('/api/v1/auth/me').then(
      (me) => setState({ phase: 'signedIn', me }),
      () => setState({ phase: 'signedOut', reason: 'none' }),
    );
  }, []);

  useEffect(
    () =>
      whenSignedOut(() => {
        setCsrfToken(null);
        setState({ phase: 'signedOut', reason: 'expired' });
      }),
    [],
  );

  const signedIn = state.phase === 'signedIn';
  useEffect(() => {
    if (!signedIn) return;
    get<DirectoryAnswer>('/api/v1/directory').then(
      (answer) => {
        setParties(new Map(answer.document.parties.map((p) => [p.code, p])));
        setDirectoryDemo(Boolean(answer.demo || answer.document.demo));
      },
      () => setParties(new Map()),
    );
  }, [signedIn]);

  const signIn = useCallback(async (username: string, password: string, totp?: string) => {
    const answer = await post<{ csrfToken: string }>('/api/v1/auth/login', {
      username,
      password,
      ...(totp ? { totp } : {}),
    });
    setCsrfToken(answer.csrfToken);
    const me = await get<Me>('/api/v1/auth/me');
    setState({ phase: 'signedIn', me });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    setCsrfToken(null);
    // Nothing typed by this user stays in the tab for the next one.
    try {
      sessionStorage.clear();
    } catch {
      // Storage refused: there is nothing in it.
    }
    setState({ phase: 'signedOut', reason: 'signedOut' });
  }, []);

  const demo = Boolean(node?.demo) || directoryDemo;
  const value = useMemo(
    () => ({ state, node, parties, demo, signIn, signOut }),
    [state, node, parties, demo, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The time zone of a partner State: its 24/7 point of contact's, else its first authority's. */
export function partnerZone(parties: Map<string, Party>, code: string): string | null {
  const authorities = parties.get(code)?.authorities ?? [];
  const point = authorities.find((a) => a.kind === 'POINT_24_7' && a.timeZone);
  return point?.timeZone ?? authorities.find((a) => a.timeZone)?.timeZone ?? null;
}
