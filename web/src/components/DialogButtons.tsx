import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface DialogButtonsProps {
  onCancel: () => void;
  /** The id of the `<form>` the submit button submits (it sits outside the form, in the dialog's footer). */
  formId: string;
  busy: boolean;
  submitLabel: ReactNode;
}

/** A form dialog's footer: Cancel, and the primary submit button (disabled while saving). */
export function DialogButtons({ onCancel, formId, busy, submitLabel }: DialogButtonsProps) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" onClick={onCancel}>
        {t('actions.cancel')}
      </button>
      <button type="submit" form={formId} className="primary" disabled={busy}>
        {submitLabel}
      </button>
    </>
  );
}
