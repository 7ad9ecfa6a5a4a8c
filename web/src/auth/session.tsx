// Who is signed in: the access key (ADMIN_KEY or a user's own key), kept in
// localStorage so a reload stays signed in, and the account it belongs to.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient, ApiError } from '../api/client';
import type { UserSelf } from '../api/types';

const KEY_STORAGE = 'waystation.key';

export interface Session {
  api: ApiClient;
  user: UserSelf;
  isAdmin: boolean;
  signOut: () => void;
  /** Re-reads the account (balance moves with every request). */
  refreshUser: () => Promise<void>;
}

interface SessionState {
  session: Session | undefined;
  /** True while a stored key is being checked at start-up. */
  restoring: boolean;
  signIn: (key: string) => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children, baseUrl = '' }: { children: ReactNode; baseUrl?: string }) {
  const [auth, setAuth] = useState<{ key: string; user: UserSelf } | undefined>();
  const [restoring, setRestoring] = useState(() => localStorage.getItem(KEY_STORAGE) !== null);

  const signIn = useCallback(
    async (key: string) => {
      const trimmed = key.trim();
      if (!trimmed) throw new ApiError(400, 'empty key');
      const user = await new ApiClient(trimmed, baseUrl).get<UserSelf>('/api/user/self');
      localStorage.setItem(KEY_STORAGE, trimmed);
      setAuth({ key: trimmed, user });
    },
    [baseUrl],
  );

  useEffect(() => {
    const stored = localStorage.getItem(KEY_STORAGE);
    if (stored === null) return;
    signIn(stored)
      .catch(() => localStorage.removeItem(KEY_STORAGE))
      .finally(() => setRestoring(false));
  }, [signIn]);

  const session = useMemo<Session | undefined>(() => {
    if (!auth) return undefined;
    const api = new ApiClient(auth.key, baseUrl);
    return {
      api,
      user: auth.user,
      isAdmin: auth.user.role === 'root' || auth.user.role === 'admin',
      signOut: () => {
        localStorage.removeItem(KEY_STORAGE);
        setAuth(undefined);
      },
      refreshUser: async () => {
        const user = await api.get<UserSelf>('/api/user/self');
        setAuth((a) => (a ? { ...a, user } : a));
      },
    };
  }, [auth, baseUrl]);

  const value = useMemo(() => ({ session, restoring, signIn }), [session, restoring, signIn]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; only for components rendered behind the sign-in gate. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession before sign-in');
  return session;
}
