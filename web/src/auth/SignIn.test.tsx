import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SessionProvider, useSessionState } from './session';
import { SignIn } from './SignIn';
import { adminKey, gatewayUrl } from '../testing/render';

function Probe() {
  const { session } = useSessionState();
  return session ? <p>signed in as {session.user.role}</p> : <SignIn />;
}

describe('sign-in', () => {
  it('accepts the admin key, remembers it, and says who signed in', async () => {
    render(
      <SessionProvider baseUrl={gatewayUrl()}>
        <Probe />
      </SessionProvider>,
    );
    await userEvent.type(screen.getByLabelText('Access key'), adminKey());
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('signed in as root')).toBeInTheDocument();
    expect(localStorage.getItem('waystation.key')).toBe(adminKey());
  });

  it('refuses a wrong key with the server message and stores nothing', async () => {
    render(
      <SessionProvider baseUrl={gatewayUrl()}>
        <Probe />
      </SessionProvider>,
    );
    await userEvent.type(screen.getByLabelText('Access key'), 'sk-not-a-real-key');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/Sign-in failed/);
    expect(localStorage.getItem('waystation.key')).toBeNull();
  });
});
