// Renders a page signed in to the test gateway (see global-setup.ts), inside
// the same providers and router the console uses.
import { render, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { expect, inject } from 'vitest';
import { ApiClient } from '../api/client';
import { SessionProvider, useSessionState } from '../auth/session';
import '../i18n';

export const gatewayUrl = () => inject('gatewayUrl');
export const adminKey = () => inject('adminKey');
/** A token key of the test config (unlimited), for relay calls. */
export const tokenKey = () => inject('tokenKey');
export const adminApi = () => new ApiClient(inject('adminKey'), inject('gatewayUrl'));

/** A name no other test uses. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

function SignedIn({ accessKey, children }: { accessKey: string; children: ReactElement }) {
  const { session, signIn } = useSessionState();
  if (!session) {
    void signIn(accessKey);
    return null;
  }
  return children;
}

/** `page` rendered at `path` (hash-router path) for the holder of `accessKey` (admin by default). */
export async function renderSignedIn(page: ReactElement, { path = '/', accessKey = adminKey() }: { path?: string; accessKey?: string } = {}) {
  localStorage.removeItem('waystation.key');
  const router = createMemoryRouter([{ path: '*', element: page }], { initialEntries: [path] });
  const result = render(
    <SessionProvider baseUrl={gatewayUrl()}>
      <SignedIn accessKey={accessKey}>
        <RouterProvider router={router} />
      </SignedIn>
    </SessionProvider>,
  );
  await waitFor(() => expect(document.body.textContent).not.toBe(''));
  return { ...result, router, screen };
}
