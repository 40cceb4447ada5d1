import { useEffect, useState } from 'react';
import type { CloudTaskStatus } from '../../../shared/contract';
import { loadCover } from './cloud-store';

/** A task's picture, fetched through main; a neutral placeholder when there is none. */
export function Cover({ connectionId, coverId, title }: { connectionId: string; coverId: string | null; title: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSrc(null);
    if (coverId) void loadCover(connectionId, coverId).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [connectionId, coverId]);
  return src ? (
    <img className="cloud-cover" src={src} alt={`Picture of ${title}`} width={96} height={72} />
  ) : (
    <div className="cloud-cover cloud-cover-empty" role="img" aria-label={`No picture of ${title}`} />
  );
}

export function StatusPill({ status }: { status: Pick<CloudTaskStatus, 'label' | 'tone'> }) {
  return <span className={`pill cloud-status-${status.tone}`}>{status.label}</span>;
}
