import { useCallback, useEffect, useState } from 'react';
import type { OctoprintDetails, OctoprintFileList, OctoprintUploadProgress } from '../../../../shared/contract';
import type { RpcErrorShape } from '../../../../shared/rpc/result';
import { api } from '../../../api';
import { subscribeStore } from '../../../stores/subscribe-store';

const MAX_TERMINAL_LINES = 500;

/** Port, baud rate, offsets and the server version; reloaded when the printer's state changes. */
export function useOctoprintDetails(deviceId: string, stateKey: string) {
  const [details, setDetails] = useState<OctoprintDetails | null>(null);
  const [error, setError] = useState<RpcErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    void api()
      .call('octoprint.details', { deviceId })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setDetails(r.value);
          setError(null);
        } else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [deviceId, stateKey]);
  return { details, error };
}

/** The terminal: the backlog when it opens (and after a reconnect), then the batched `octoprint.logs` stream, bounded. */
export function useTerminalLines(deviceId: string): string[] {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    // Lines streamed while a backlog is on its way; they follow it.
    let sinceReload: string[] = [];
    const off = subscribeStore({
      events: {
        'octoprint.logs': (batch) => {
          if (batch.deviceId !== deviceId) return;
          const fresh = [...(batch.dropped > 0 ? [`… ${batch.dropped} lines skipped …`] : []), ...batch.lines];
          sinceReload = [...sinceReload, ...fresh].slice(-MAX_TERMINAL_LINES);
          setLines((prev) => [...prev, ...fresh].slice(-MAX_TERMINAL_LINES));
        },
      },
      async reload() {
        sinceReload = [];
        const r = await api().call('octoprint.terminalBacklog', { deviceId });
        if (live && r.ok) setLines([...r.value.lines, ...sinceReload].slice(-MAX_TERMINAL_LINES));
      },
    });
    return () => {
      live = false;
      off();
    };
  }, [deviceId]);
  return lines;
}

/** The server's file list, reloaded whenever OctoPrint says it changed. */
export function useServerFiles(deviceId: string, online: boolean) {
  const [list, setList] = useState<OctoprintFileList | null>(null);
  const [error, setError] = useState<RpcErrorShape | null>(null);
  const reload = useCallback(async () => {
    const r = await api().call('octoprint.files', { deviceId });
    if (r.ok) {
      setList(r.value);
      setError(null);
    } else setError(r.error);
  }, [deviceId]);
  useEffect(
    () =>
      subscribeStore({
        events: {
          'octoprint.filesChanged': (e) => {
            if (e.deviceId === deviceId) void reload();
          },
        },
        reload: () => (online ? reload() : undefined),
      }),
    [deviceId, online, reload],
  );
  return { list, error, reload };
}

export function useServerUpload(deviceId: string): OctoprintUploadProgress | null {
  const [progress, setProgress] = useState<OctoprintUploadProgress | null>(null);
  useEffect(
    () =>
      subscribeStore({
        events: {
          'octoprint.upload': (p) => {
            if (p.deviceId === deviceId) setProgress(p);
          },
        },
      }),
    [deviceId],
  );
  return progress;
}
