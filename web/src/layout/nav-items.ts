/** The console's pages in menu order; admin-only ones are hidden from plain users. */
export const NAV_ITEMS = [
  { path: '/', label: 'dashboard', adminOnly: false },
  { path: '/tokens', label: 'tokens', adminOnly: false },
  { path: '/channels', label: 'channels', adminOnly: true },
  { path: '/logs', label: 'logs', adminOnly: false },
  { path: '/users', label: 'users', adminOnly: true },
  { path: '/groups', label: 'groups', adminOnly: true },
  { path: '/prices', label: 'prices', adminOnly: true },
  { path: '/playground/image', label: 'imagePlayground', adminOnly: false },
  { path: '/playground/chat', label: 'chatPlayground', adminOnly: false },
] as const;
