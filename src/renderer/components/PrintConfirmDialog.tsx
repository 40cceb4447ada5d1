import { useAppStore } from '../stores/app-store';
import { usePrintConfirmStore } from '../stores/print-confirm-store';
import { ConfirmDialog } from './ConfirmDialog';

/** "Print benchy.gcode on Nano?", with a warning in words when the file was sliced for another model. */
export function PrintConfirmDialog() {
  const pending = usePrintConfirmStore((s) => s.pending);
  const sending = usePrintConfirmStore((s) => s.sending);
  const confirm = usePrintConfirmStore((s) => s.confirm);
  const dismiss = usePrintConfirmStore((s) => s.dismiss);
  const errorToast = useAppStore((s) => s.errorToast);
  if (!pending) return null;
  const mismatch = pending.check?.verdict === 'mismatch';
  return (
    <ConfirmDialog
      title={`Print ${pending.file.name} on ${pending.deviceName}?`}
      confirmLabel={sending ? 'Sending…' : mismatch ? 'Print anyway' : 'Print'}
      keepLabel="Don’t print"
      busy={sending}
      onConfirm={() =>
        void confirm().then((r) => {
          if (!r.ok) errorToast(`Could not print ${pending.file.name}`, r.error);
        })
      }
      onKeep={() => void dismiss()}
    >
      {pending.check && (
        <p className={mismatch ? 'problem' : 'muted'} role={mismatch ? 'alert' : undefined}>
          {mismatch && <strong>Sliced for another printer. </strong>}
          {pending.check.message}
        </p>
      )}
      {pending.checkError && <p className="muted">Printdeck could not read which printer it was sliced for: {pending.checkError}</p>}
    </ConfirmDialog>
  );
}
