// A labelled form control with an optional hint and error, wired for screen
// readers (label `for`, `aria-describedby`, `aria-invalid`).
import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** One input, select or textarea; it receives id and aria attributes. */
  children: ReactElement<Record<string, unknown>>;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
