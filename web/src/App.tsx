// Routes (hash-based, so no console path can shadow a relay or API route) and
// the sign-in gate. Each page is its own chunk, loaded when first visited:
// sign-in and the shell come without the charting library the dashboard needs.
import type { ComponentType } from 'react';
import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { SignIn } from './auth/SignIn';
import { SessionProvider, useSessionState } from './auth/session';
import { Shell } from './layout/Shell';

/** A route whose page module is fetched on first navigation to it. */
const page = (load: () => Promise<ComponentType>) => ({ lazy: async () => ({ Component: await load() }) });

const router = createHashRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, ...page(() => import('./pages/dashboard').then((m) => m.DashboardPage)) },
      { path: 'tokens', ...page(() => import('./pages/tokens').then((m) => m.TokensPage)) },
      { path: 'channels', ...page(() => import('./pages/channels').then((m) => m.ChannelsPage)) },
      { path: 'logs', ...page(() => import('./pages/logs').then((m) => m.LogsPage)) },
      { path: 'users', ...page(() => import('./pages/users').then((m) => m.UsersPage)) },
      { path: 'groups', ...page(() => import('./pages/groups').then((m) => m.GroupsPage)) },
      { path: 'prices', ...page(() => import('./pages/prices').then((m) => m.PricesPage)) },
      { path: 'playground/image', ...page(() => import('./pages/playground-image').then((m) => m.ImagePlaygroundPage)) },
      { path: 'playground/chat', ...page(() => import('./pages/playground-chat').then((m) => m.ChatPlaygroundPage)) },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);

function Gate() {
  const { session, restoring } = useSessionState();
  if (restoring) return null;
  return session ? <RouterProvider router={router} /> : <SignIn />;
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
