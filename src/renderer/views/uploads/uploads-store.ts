import { create } from 'zustand';
import type { JobImage, SessionImage, UploadJobSummary, UploadSession, UploadsStatus } from '../../../shared/contract';
import { api } from '../../api';
import { subscribeStore } from '../../stores/subscribe-store';

interface UploadsState {
  connectionId: string | null;
  status: UploadsStatus | null;
  sessions: UploadSession[];
  offline: boolean;
  /** Why the sessions are not fresh from the server (unreachable, or its token refused). */
  sessionsProblem: { credentialsRefused: boolean; message: string } | null;
  selectedSessionId: string | null;
  /** The printer camera picked in Uploads; kept across visits to the screen. */
  cameraDeviceId: string | null;
  selectCamera(deviceId: string): void;
  images: SessionImage[];
  imageTotal: number;
  thumbs: Record<string, string | null>;
  jobs: Record<string, UploadJobSummary>;
  /** Images of jobs whose details are open (failed images, per-image progress). */
  jobImages: Record<string, JobImage[]>;
  selectConnection(id: string | null): void;
  selectSession(id: string | null): void;
  loadStatus(): Promise<void>;
  loadSessions(): Promise<void>;
  loadImages(): Promise<void>;
  loadJobs(): Promise<void>;
  loadJobImages(jobId: string): Promise<void>;
  /** Everything the screen shows: status, jobs, the selected server's sessions and images, open job details. */
  reload(): Promise<void>;
  loadThumb(imageId: string): Promise<void>;
  setStatus(s: UploadsStatus): void;
  applyJob(j: UploadJobSummary): void;
  applyJobImage(i: JobImage): void;
  applySession(s: UploadSession): void;
}

export const useUploadsStore = create<UploadsState>((set, get) => ({
  connectionId: null,
  status: null,
  sessions: [],
  offline: false,
  sessionsProblem: null,
  selectedSessionId: null,
  cameraDeviceId: null,
  selectCamera: (deviceId) => set({ cameraDeviceId: deviceId }),
  images: [],
  imageTotal: 0,
  thumbs: {},
  jobs: {},
  jobImages: {},
  selectConnection(id) {
    if (get().connectionId === id) return;
    set({ connectionId: id, sessions: [], selectedSessionId: null, images: [], imageTotal: 0 });
    void get().loadSessions();
  },
  selectSession(id) {
    set({ selectedSessionId: id, images: [], imageTotal: 0 });
    void get().loadImages();
  },
  async loadStatus() {
    const r = await api().call('uploads.status', {});
    if (r.ok) set({ status: r.value });
  },
  async loadSessions() {
    const connectionId = get().connectionId;
    if (!connectionId) return;
    const r = await api().call('uploads.listSessions', { connectionId });
    if (!r.ok || get().connectionId !== connectionId) return;
    const sessions = r.value.sessions;
    const selected = get().selectedSessionId;
    const keep = selected && sessions.some((s) => s.id === selected) ? selected : (sessions.find((s) => !s.completed)?.id ?? sessions[0]?.id ?? null);
    const { offline, credentialsRefused, problem } = r.value;
    set({ sessions, offline, sessionsProblem: problem ? { credentialsRefused, message: problem } : null });
    if (keep !== selected) get().selectSession(keep);
  },
  async loadImages() {
    const { connectionId, selectedSessionId } = get();
    if (!connectionId || !selectedSessionId) return;
    const r = await api().call('uploads.listImages', { connectionId, sessionId: selectedSessionId, offset: 0, limit: 500 });
    if (r.ok && get().selectedSessionId === selectedSessionId) set({ images: r.value.images, imageTotal: r.value.total });
  },
  async loadJobs() {
    const r = await api().call('uploads.listJobs', {});
    if (r.ok) set({ jobs: Object.fromEntries(r.value.map((j) => [j.id, j])) });
  },
  async loadJobImages(jobId) {
    const r = await api().call('uploads.getJob', { jobId, offset: 0, limit: 500 });
    if (r.ok) set((s) => ({ jobImages: { ...s.jobImages, [jobId]: r.value.images }, jobs: { ...s.jobs, [jobId]: r.value.job } }));
  },
  async reload() {
    const s = get();
    await Promise.all([s.loadStatus(), s.loadJobs(), s.loadSessions(), s.loadImages(), ...Object.keys(s.jobImages).map((id) => s.loadJobImages(id))]);
  },
  async loadThumb(imageId) {
    if (imageId in get().thumbs) return;
    set((s) => ({ thumbs: { ...s.thumbs, [imageId]: null } }));
    const r = await api().call('uploads.thumbnail', { imageId });
    if (r.ok && r.value) {
      const url = `data:${r.value.mime};base64,${r.value.dataBase64}`;
      set((s) => ({ thumbs: { ...s.thumbs, [imageId]: url } }));
    }
  },
  setStatus: (status) => set({ status }),
  applyJob: (j) => set((s) => ({ jobs: { ...s.jobs, [j.id]: j } })),
  applyJobImage: (i) =>
    set((s) => {
      const list = s.jobImages[i.jobId];
      if (!list) return {};
      return { jobImages: { ...s.jobImages, [i.jobId]: list.map((x) => (x.imageId === i.imageId ? i : x)) } };
    }),
  applySession: (session) =>
    set((s) => {
      if (session.connectionId !== s.connectionId) return {};
      const exists = s.sessions.some((x) => x.id === session.id);
      const sessions = exists ? s.sessions.map((x) => (x.id === session.id ? session : x)) : [session, ...s.sessions];
      return { sessions };
    }),
}));

/** Subscribes the store to the uploads events and reloads it after every reconnect; returns the unsubscribe. */
export function subscribeUploads(): () => void {
  const store = useUploadsStore.getState;
  let reload: ReturnType<typeof setTimeout> | null = null;
  const off = subscribeStore({
    events: {
      'uploads.status': (s) => store().setStatus(s),
      'uploads.job': (j) => store().applyJob(j),
      'uploads.jobImage': (i) => store().applyJobImage(i),
      'uploads.session': (s) => {
        store().applySession(s);
        if (s.id === store().selectedSessionId && (s.imageCount !== store().imageTotal || store().images.some((i) => i.thumbnail === 'pending'))) {
          // Images arrive in bursts (a folder, a timelapse): reload once per burst.
          if (reload) clearTimeout(reload);
          reload = setTimeout(() => void store().loadImages(), 150);
        }
      },
    },
    reload: () => store().reload(),
  });
  return () => {
    if (reload) clearTimeout(reload);
    off();
  };
}
