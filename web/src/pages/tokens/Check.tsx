// A checkbox with its label beside it (Field puts labels above, which suits
// text inputs, not toggles). A candidate for src/components/.
import type { ReactNode } from 'react';
import './form-parts.css';

export function Check({
  label,
  checked,
  onChange,
  disabled,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
