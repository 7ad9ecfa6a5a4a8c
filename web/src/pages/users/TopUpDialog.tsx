// Adds to (or, with a negative amount, takes from) an account's balance in
// one step on the server (`POST /api/users/:id/topup`), so a charge landing
// at the same moment is never lost the way a read-then-write edit could lose it.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { formatUsd } from '../../components/format';
import type { UserView } from './user-shapes';

export function TopUpDialog({ user, onClose, onDone }: { user: UserView; onClose: () => void; onDone: (after: UserView) => void }) {
  const { t } = useTranslation('users');
  const { api } = useSession();
  const formId = useId();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(amount);
    if (amount.trim() === '' || !Number.isFinite(n) || n === 0) {
      setError(t('errors.amount'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onDone(await api.post<UserView>(`/api/users/${user.id}/topup`, { amount_usd: n }));
    } catch (err) {
      setError((err as ApiError).message);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('topUp.title', { name: user.username })}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={busy} submitLabel={t('topUp.submit')} />}
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p>{t('topUp.current', { balance: formatUsd(user.balance_usd) })}</p>
        <Field label={t('topUp.amount')} hint={t('topUp.hint')} error={error}>
          <input type="number" inputMode="decimal" step="any" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
      </form>
    </Dialog>
  );
}
