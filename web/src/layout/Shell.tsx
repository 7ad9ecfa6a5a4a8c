// The frame around every signed-in page: navigation (a menu button on a
// phone), language switch, account and sign-out, and a skip link.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { formatUsd } from '../components/format';
import { LanguagePicker } from '../components/LanguagePicker';
import { NAV_ITEMS } from './nav-items';

export function Shell() {
  const { t } = useTranslation();
  const { user, isAdmin, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const items = NAV_ITEMS.filter((item) => isAdmin || !item.adminOnly);
  return (
    <div className="shell">
      <a className="skip-link" href={`#${location.pathname}`} onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          ☰ <span className="visually-hidden">{t('nav.menu')}</span>
        </button>
        <span className="brand">{t('appName')}</span>
        <div className="topbar-right">
          <LanguagePicker showLabel={false} />
          <span className="account" title={user.role}>
            {user.display_name || user.username}
            <span className="muted"> · {t('balance')}: {user.unlimited ? t('unlimited') : formatUsd(user.balance_usd)}</span>
          </span>
          <button type="button" onClick={signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <nav id="main-nav" className={menuOpen ? 'sidenav open' : 'sidenav'} aria-label={t('nav.main')}>
        <ul>
          {items.map((item) => (
            <li key={item.path}>
              <NavLink to={item.path} end={item.path === '/'} onClick={() => setMenuOpen(false)}>
                {t(`nav.${item.label}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
