import { useAppStore } from '../stores/app-store';

/** Shown while the browser has lost the headless host; the transport keeps reconnecting underneath. */
export function ConnectionBanner() {
  const link = useAppStore((s) => s.link);
  const warning = useAppStore((s) => s.info?.secrets.warning ?? null);
  return (
    <>
      {link !== 'open' && (
        <div className="banner banner-error" role="alert">
          {link === 'connecting' ? 'Connecting to Printdeck…' : 'Disconnected from Printdeck. Reconnecting…'}
        </div>
      )}
      {warning && (
        <div className="banner banner-warning" role="status">
          {warning}
        </div>
      )}
    </>
  );
}
