// A JSON object typed in a textarea; its problems are found before submit
// (channel-form.ts) and shown under it.
import { Field } from '../../components/Field';

export interface JsonFieldProps {
  label: string;
  hint: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  placeholder?: string;
}

export function JsonField({ label, hint, value, onChange, error, placeholder }: JsonFieldProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      <textarea className="json-input" spellCheck={false} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} rows={4} />
    </Field>
  );
}
