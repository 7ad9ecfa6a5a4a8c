// Routes (hash-based, so no console path can shadow a relay or API route) and
// the sign-in gate.
import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { SignIn } from './auth/SignIn';
import { SessionProvider, useSessionState } from './auth/session';
import { Shell } from './layout/Shell';
import { ChannelsPage } from './pages/channels';
import { DashboardPage } from './pages/dashboard';
import { GroupsPage } from './pages/groups';
import { LogsPage } from './pages/logs';
import { ChatPlaygroundPage } from './pages/playground-chat';
import { ImagePlaygroundPage } from './pages/playground-image';
import { PricesPage } from './pages/prices';
import { TokensPage } from './pages/tokens';
import { UsersPage } from './pages/users';

const router = createHashRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'tokens', element: <TokensPage /> },
      { path: 'channels', element: <ChannelsPage /> },
      { path: 'logs', element: <LogsPage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'groups', element: <GroupsPage /> },
      { path: 'prices', element: <PricesPage /> },
      { path: 'playground/image', element: <ImagePlaygroundPage /> },
      { path: 'playground/chat', element: <ChatPlaygroundPage /> },
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
