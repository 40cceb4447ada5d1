import { useEffect, useState } from 'react';
import type { ChatMessage } from '../../../shared/contract/chat';
import { api } from '../../api';

/** Fetches a decrypted image in chunks (below the WebSocket frame limit) and shows it. */
export function MessageImage({ connectionId, message }: { connectionId: string; message: ChatMessage }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let objectUrl: string | null = null;
    void (async () => {
      const parts: Uint8Array[] = [];
      let offset = 0;
      let total = 1;
      let mime = 'image/jpeg';
      while (offset < total) {
        const r = await api().call('chat.imageChunk', { connectionId, messageId: message.id, offset });
        if (!r.ok) return setError(r.error.message);
        total = r.value.total;
        mime = r.value.mime;
        const bin = atob(r.value.dataBase64);
        const chunk = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) chunk[i] = bin.charCodeAt(i);
        if (chunk.length === 0) break;
        parts.push(chunk);
        offset += chunk.length;
      }
      if (cancelled) return;
      objectUrl = URL.createObjectURL(new Blob(parts as BlobPart[], { type: mime }));
      setUrl(objectUrl);
    })();
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [connectionId, message.id]);
  if (error) return <p role="alert" className="chat-error">{error}</p>;
  if (!url) return <p className="muted small">Loading image…</p>;
  return <img className="chat-image" src={url} alt={message.text || 'Image'} />;
}
