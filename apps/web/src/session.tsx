import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { getJson, type Session, sendJson } from './api.ts';

interface SessionState {
  /** undefined while loading, null when signed out. */
  session: Session | null | undefined;
  signIn(identifier: string, password: string): Promise<void>;
  activate(sneNumber: string, code: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    // { user: null } when nobody is signed in; a failed request counts as signed out too.
    getJson<Session | { user: null }>('/auth/session')
      .then((s) => setSession(s.user ? (s as Session) : null))
      .catch(() => setSession(null));
  }, []);
  const signIn = useCallback(async (identifier: string, password: string) => {
    setSession(await sendJson<Session>('POST', '/auth/login', { identifier, password }));
  }, []);
  const activate = useCallback(async (sneNumber: string, code: string, password: string) => {
    setSession(await sendJson<Session>('POST', '/auth/activate', { sneNumber, code, password }));
  }, []);
  const signOut = useCallback(async () => {
    if (session) await sendJson('POST', '/auth/logout', undefined, session.csrfToken);
    setSession(null);
  }, [session]);
  return (
    <SessionContext.Provider value={{ session, signIn, activate, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession hors de SessionProvider');
  return state;
}
