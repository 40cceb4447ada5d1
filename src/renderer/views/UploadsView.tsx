import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';

export function UploadsView() {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <section aria-labelledby="uploads-title">
      <h1 id="uploads-title">Uploads</h1>
      <EmptyState
        title="No image server"
        actions={
          <button type="button" className="primary" onClick={() => navigate('settings')}>
            Add an image server
          </button>
        }
      >
        <p>Image sessions collect printer snapshots and photos and deliver them to a recipient. Add an IMSS connection in Settings to start one.</p>
      </EmptyState>
    </section>
  );
}
