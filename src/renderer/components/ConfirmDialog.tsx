import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  /** Words for what happens, e.g. "Stop print" — never a bare OK. */
  confirmLabel: string;
  /** Words for leaving things as they are, e.g. "Keep printing" — never a bare Cancel. */
  keepLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onKeep(): void;
}

/**
 * An in-page confirmation in words. The browser's `confirm()` offers [OK] / [Cancel], and on a
 * "Cancel the print?" question [Cancel] means keep printing; both buttons here say what they do.
 * Escape keeps things as they are; focus starts on the harmless choice.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const titleId = useId();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onKeep();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <div className="button-row">
          <button type="button" ref={keep} onClick={props.onKeep} disabled={props.busy}>
            {props.keepLabel}
          </button>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} disabled={props.busy}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
