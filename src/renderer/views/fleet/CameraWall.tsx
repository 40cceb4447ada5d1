import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { hasJobToShow, isUnreachable } from '../../../shared/domain/device-state';
import { api } from '../../api';
import { DEFAULT_CAMERA_BUDGET, pauseAfter, pickNextCamera } from '../../fleet/camera-budget';
import { hrefFor, useAppStore } from '../../stores/app-store';
import { devicePill, formatDuration } from '../format';

interface Frame {
  url: string;
  at: number;
}

/** Checks for a due tile this often when none was due. */
const IDLE_CHECK_MS = 250;

/**
 * Every camera-capable printer as a tile. Only tiles on screen fetch (IntersectionObserver), one
 * snapshot at a time under one bandwidth budget (camera-budget.ts); nothing is fetched while the
 * tab is hidden; a click shows the printer large, refreshed faster. Each tile says the printer's
 * state and progress, so a failed print is seen on the wall without opening anything.
 */
export function CameraWall({ devices }: { devices: DeviceStatus[] }) {
  const cameras = devices.filter((d) => d.capabilities.camera);
  const [frames, setFrames] = useState<Record<string, Frame>>({});
  const [large, setLarge] = useState<string | null>(null);
  const visible = useRef(new Set<string>());
  const lastFetched = useRef(new Map<string, number>());
  const largeRef = useRef<string | null>(null);
  largeRef.current = large;
  const observer = useRef<IntersectionObserver | null>(null);

  // Tiles attach (refs) before effects run, so the observer is made on first use; the callback is
  // stable, so a tile is observed once, not again at every render.
  const observe = useCallback((el: HTMLElement | null) => {
    if (!el) return;
    if (typeof IntersectionObserver === 'undefined') return;
    observer.current ??= new IntersectionObserver((entries) => {
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.deviceId;
        if (!id) continue;
        if (e.isIntersecting) visible.current.add(id);
        else visible.current.delete(id);
      }
    });
    observer.current.observe(el);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const step = async () => {
      timer = null;
      if (stopped) return;
      if (document.hidden) return; // visibilitychange resumes
      const id = pickNextCamera(visible.current, lastFetched.current, Date.now(), DEFAULT_CAMERA_BUDGET, largeRef.current);
      if (id === null) {
        timer = setTimeout(() => void step(), IDLE_CHECK_MS);
        return;
      }
      lastFetched.current.set(id, Date.now());
      const r = await api().call('printers.snapshot', { deviceId: id });
      if (stopped) return;
      let bytes = 0;
      if (r.ok) {
        bytes = Math.floor((r.value.dataBase64.length * 3) / 4);
        const url = `data:${r.value.mime};base64,${r.value.dataBase64}`;
        setFrames((f) => ({ ...f, [id]: { url, at: r.value.at } }));
      }
      timer = setTimeout(() => void step(), Math.max(pauseAfter(bytes, DEFAULT_CAMERA_BUDGET), 20));
    };
    const onVisibility = () => {
      if (!document.hidden && timer === null) void step();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void step();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  if (cameras.length === 0) return <p className="muted">None of these printers has a camera Printdeck can show.</p>;
  const big = large ? cameras.find((d) => d.deviceId === large) : undefined;
  const job = big && hasJobToShow(big) ? big.job : null;
  return (
    <>
      <ul className="camera-wall" aria-label="Cameras">
        {cameras.map((d) => (
          <li
            key={d.deviceId}
            data-device-id={d.deviceId}
            ref={observe}
          >
            <button type="button" className={`camera-tile state-${stateClass(d)}`} onClick={() => setLarge(d.deviceId)} aria-label={`Show ${d.name} large`}>
              {frames[d.deviceId] ? <img src={frames[d.deviceId]!.url} alt={`${d.name} camera`} /> : <span className="camera-empty muted">Waiting for a picture…</span>}
              <span className="camera-caption">
                <span className="camera-name" title={d.name}>
                  {d.name}
                </span>
                <span className={`pill pill-${stateClass(d)}`}>{tileState(d)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {big && (
        <div
          className="camera-large"
          role="dialog"
          aria-label={`${big.name} camera`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setLarge(null);
          }}
        >
          <div className="section-head">
            <h2>{big.name}</h2>
            <span className={`pill pill-${stateClass(big)}`}>{devicePill(big)}</span>
            {job && (
              <span className="muted">
                {job.name ?? 'Job'} · {job.progress === null ? '—' : `${Math.round(job.progress * 100)} %`}
                {job.remainingSec != null && ` · ${formatDuration(job.remainingSec)} left`}
              </span>
            )}
            <a
              href={hrefFor('devices', big.deviceId)}
              onClick={(e) => {
                e.preventDefault();
                useAppStore.getState().navigate('devices', big.deviceId);
              }}
            >
              Open printer
            </a>
            {/* Focused on opening, so Escape or Enter closes the view from the keyboard. */}
            <button type="button" autoFocus onClick={() => setLarge(null)}>
              Close
            </button>
          </div>
          {frames[big.deviceId] ? <img src={frames[big.deviceId]!.url} alt={`${big.name} camera, large`} /> : <p className="muted">Waiting for a picture…</p>}
        </div>
      )}
    </>
  );
}

function stateClass(d: DeviceStatus): string {
  return isUnreachable(d.link) ? 'offline' : d.state;
}

/** The tile's short state: the pill's words, with the progress while a job runs. */
function tileState(d: DeviceStatus): string {
  const words = devicePill(d);
  if (!hasJobToShow(d) || d.job?.progress == null) return words;
  return `${words} ${Math.round(d.job.progress * 100)} %`;
}
