import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PickedFile, SessionImage } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { formatBytes } from '../format';
import { addFiles } from './add-images';
import { CameraSources } from './CameraSources';
import { CreateJobForm } from './CreateJobForm';
import { useUploadsStore } from './uploads-store';

/** The selected session: its images, the ways to add more, and the form that uploads them. */
export function SessionPanel({ connectionId }: { connectionId: string }) {
  const { session, images, total } = useUploadsStore(
    useShallow((s) => ({ session: s.sessions.find((x) => x.id === s.selectedSessionId) ?? null, images: s.images, total: s.imageTotal })),
  );
  const toast = useAppStore((s) => s.toast);
  const [adding, setAdding] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  if (!session) {
    return (
      <section className="panel uploads-session-panel" aria-label="Session">
        <p className="muted">Start a session to collect images.</p>
      </section>
    );
  }
  const open = !session.completed;

  async function add(files: File[]) {
    if (!session || files.length === 0) return;
    setAdding(`Adding 0 of ${files.length}…`);
    const r = await addFiles(connectionId, session.id, files, (done, all) => setAdding(`Adding ${done} of ${all}…`));
    setAdding(null);
    if (input.current) input.current.value = '';
    if (!r.ok) return toast({ level: 'error', title: 'Images were not added', body: r.error.message });
    const { added, duplicates, failed } = r.value;
    const parts = [`${added.length} added`];
    if (duplicates) parts.push(`${duplicates} already in the session`);
    if (failed.length) parts.push(`${failed.length} failed: ${failed.slice(0, 3).map((f) => `${f.name} (${f.message})`).join('; ')}`);
    toast({ level: failed.length ? 'warning' : 'success', title: 'Images added', body: parts.join(', ') });
    await useUploadsStore.getState().loadImages();
  }

  return (
    <section className="panel uploads-session-panel" aria-labelledby="uploads-session-title">
      <div className="section-head">
        <h2 id="uploads-session-title">{session.name}</h2>
        <span className="muted small">
          {total} image{total === 1 ? '' : 's'} · {session.completed ? 'completed' : 'active'}
        </span>
      </div>
      {open && (
        <div
          className={dragging ? 'uploads-drop dragging' : 'uploads-drop'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void add([...e.dataTransfer.files]);
          }}
        >
          <p>Drop images here, or</p>
          {/* A real button opening a real file input: the ordinary file chooser (and Playwright's
              filechooser event) works, and setInputFiles on "Add images" still does. */}
          <input
            ref={input}
            type="file"
            multiple
            accept="image/*,video/*,.dng,.cr2,.nef,.arw,.heic"
            className="visually-hidden"
            aria-label="Add images"
            tabIndex={-1}
            onChange={(e) => void add([...(e.target.files ?? [])])}
          />
          <button type="button" onClick={() => input.current?.click()}>
            Add images…
          </button>
          {adding && (
            <p className="small" role="status">
              {adding}
            </p>
          )}
        </div>
      )}
      {open && <FolderWatchControl connectionId={connectionId} />}
      {open && <CameraSources connectionId={connectionId} sessionId={session.id} />}
      <ImageGrid images={images} />
      {images.length > 0 && <CreateJobForm connectionId={connectionId} sessionId={session.id} imageCount={total} />}
    </section>
  );
}

function ImageGrid({ images }: { images: SessionImage[] }) {
  if (images.length === 0) return <p className="muted">No images in this session yet.</p>;
  return (
    <ul className="uploads-grid" aria-label="Session images">
      {images.map((img) => (
        <li key={img.id}>
          <Thumb image={img} />
        </li>
      ))}
    </ul>
  );
}

function Thumb({ image }: { image: SessionImage }) {
  const url = useUploadsStore((s) => s.thumbs[image.id]);
  const loadThumb = useUploadsStore((s) => s.loadThumb);
  useEffect(() => {
    if (image.thumbnail === 'ready') void loadThumb(image.id);
  }, [image.id, image.thumbnail, loadThumb]);
  return (
    <figure className="uploads-thumb">
      {url ? (
        <img src={url} alt={image.name} />
      ) : (
        <span className="uploads-thumb-icon" role="img" aria-label={`${image.name} (no preview)`}>
          {image.thumbnail === 'pending' ? '…' : '🖼'}
        </span>
      )}
      <figcaption className="small">
        <span className="uploads-thumb-name">{image.name}</span>
        <span className="muted">{formatBytes(image.size)}</span>
      </figcaption>
    </figure>
  );
}

/** Folder watch needs a host path, so the desktop app offers it; a browser gets a note. */
function FolderWatchControl({ connectionId }: { connectionId: string }) {
  const watch = useUploadsStore((s) => s.status?.watches.find((w) => w.connectionId === connectionId) ?? null);
  const errorToast = useAppStore((s) => s.errorToast);

  // The folder comes from the system's picker as a token: the page never names a host path.
  async function set(next: PickedFile | null) {
    const r = await api().call('uploads.watchFolder', { connectionId, folder: next });
    if (!r.ok) return errorToast('Folder watch', r.error);
    useUploadsStore.getState().setStatus(r.value);
  }

  if (watch) {
    return (
      <div className="uploads-source">
        <p className="small">
          Watching <span className="mono">{watch.folder}</span>: {watch.imagesAdded} added.
          {watch.message && (
            <span className="form-error" role="alert">
              {' '}
              {watch.message}
            </span>
          )}
        </p>
        <button type="button" className="small-button" onClick={() => void set(null)}>
          Stop watching
        </button>
      </div>
    );
  }
  const files = window.printdeckFiles;
  if (!files) return <p className="muted small">Folder watch is available in the desktop app.</p>;
  return (
    <div className="uploads-source">
      <span>Watch a folder for new images</span>
      <button
        type="button"
        className="small-button"
        onClick={() =>
          void files.pickFolder().then((picked) => {
            if (picked) void set(picked.ref);
          })
        }
      >
        Choose folder…
      </button>
    </div>
  );
}
