import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../stores/app-store';
import { useConnectionsStore } from '../stores/connections-store';
import { useDevicesStore } from '../stores/devices-store';

/** "Add da Vinci nano (3FNAXP…)": printers plugged into this machine that are not added yet. */
export function DiscoveryOffers() {
  const offers = useDevicesStore(useShallow((s) => s.discovered.filter((d) => !d.added)));
  const add = useConnectionsStore((s) => s.add);
  const toast = useAppStore((s) => s.toast);
  const errorToast = useAppStore((s) => s.errorToast);
  if (offers.length === 0) return null;
  return (
    <section className="offers" aria-label="Printers found on this computer">
      {offers.map((offer) => (
        <div key={offer.id} className="offer">
          <span>
            Found <strong>{offer.label}</strong> <span className="muted small">on {offer.portPath}</span>
          </span>
          <button
            type="button"
            className="primary"
            onClick={async () => {
              const r = await add({ kind: offer.family, name: offer.label.replace(/ \(.*\)$/, ''), address: offer.address });
              if (r.ok) toast({ level: 'success', title: `${r.value.name} added`, body: 'Connecting…' });
              else errorToast(`Could not add ${offer.label}`, r.error);
            }}
          >
            Add {offer.label}
          </button>
        </div>
      ))}
    </section>
  );
}
