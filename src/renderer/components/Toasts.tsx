import { useEffect } from 'react';
import { useAppStore, type Toast } from '../stores/app-store';

const LIFETIME_MS = 8000;

export function Toasts() {
  const toasts = useAppStore((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useAppStore((s) => s.dismiss);
  useEffect(() => {
    if (toast.level === 'error') return; // errors stay until read
    const timer = setTimeout(() => dismiss(toast.id), LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  return (
    <div className={`toast toast-${toast.level}`} role={toast.level === 'error' ? 'alert' : undefined}>
      <div className="toast-text">
        <strong>{toast.title}</strong>
        {toast.body && <span>{toast.body}</span>}
      </div>
      <button type="button" className="icon-button" aria-label={`Dismiss: ${toast.title}`} onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
