import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ChatConversationRef, ChatMessage, ChatOverview } from '../../../shared/contract/chat';
import { CHAT_IMAGE_CHUNK_BYTES, CHAT_MAX_IMAGE_BYTES } from '../../../shared/contract/chat';
import { chatDisplayName } from '../../../shared/domain/chat-names';
import { api } from '../../api';
import { useDevicesStore } from '../../stores/devices-store';
import { convKey, useChatStore } from './chat-store';
import { Details } from './Details';
import { MessageImage } from './MessageImage';

const STATE_LABEL: Record<ChatMessage['state'], string> = { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', received: '' };
const EMPTY: ChatMessage[] = [];

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i] ?? 0);
  return btoa(bin);
}

/** Message list with delivery states, composer (text, image, printer snapshot) and the details panel. */
export function Conversation({ overview, conversation }: { overview: ChatOverview; conversation: ChatConversationRef }) {
  const connectionId = overview.account.connectionId;
  const messages = useChatStore((s) => s.messages[convKey(conversation)] ?? EMPTY);
  const { refresh } = useChatStore(useShallow((s) => ({ refresh: s.refresh })));
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Followed live from the devices store: a printer whose camera comes online appears in the picker.
  const cameraDevices = useDevicesStore(useShallow((s) => Object.values(s.byId).filter((d) => d.capabilities.camera)));
  const cameras = cameraDevices.map((d) => ({ id: d.deviceId, name: d.name }));
  const [picked, setCamera] = useState<string | null>(null);
  // One snapshot button for all camera printers; the picker says which (the first until one is chosen).
  const camera = cameras.some((c) => c.id === picked) ? picked : (cameras[0]?.id ?? null);
  const fileRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const title = overview.conversations.find((c) => convKey(c.conversation) === convKey(conversation))?.title ?? (conversation.type === 'user' ? chatDisplayName(conversation.id) : 'Group');

  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);


  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setError(null);
    const r = await api().call('chat.send', { connectionId, conversation, text });
    if (!r.ok) return setError(r.error.message);
    setText('');
    useChatStore.getState().merge(connectionId, [r.value]);
    void refresh();
  };

  const sendFile = async (file: File) => {
    setError(null);
    if (file.size > CHAT_MAX_IMAGE_BYTES) return setError('Images are limited to 4 MB.');
    const mime = file.type as 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
    if (!['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(mime)) return setError('Only JPEG, PNG, GIF and WebP images can be sent.');
    const bytes = new Uint8Array(await file.arrayBuffer());
    let uploadId: string | undefined;
    for (let offset = 0; offset < bytes.length; offset += CHAT_IMAGE_CHUNK_BYTES) {
      const r = await api().call('chat.stageImage', { connectionId, ...(uploadId ? { uploadId } : {}), offset, dataBase64: toBase64(bytes.subarray(offset, offset + CHAT_IMAGE_CHUNK_BYTES)) });
      if (!r.ok) return setError(r.error.message);
      uploadId = r.value.uploadId;
    }
    if (!uploadId) return;
    const r = await api().call('chat.sendImage', { connectionId, conversation, uploadId, mime, name: file.name, caption: text });
    if (!r.ok) return setError(r.error.message);
    setText('');
    useChatStore.getState().merge(connectionId, [r.value]);
  };

  const sendSnapshot = async (deviceId: string) => {
    setError(null);
    const r = await api().call('chat.sendSnapshot', { connectionId, conversation, deviceId, caption: text });
    if (!r.ok) return setError(r.error.message);
    setText('');
    useChatStore.getState().merge(connectionId, [r.value]);
  };

  const retry = async (id: string) => {
    const r = await api().call('chat.retry', { connectionId, messageId: id });
    if (!r.ok) setError(r.error.message);
    else useChatStore.getState().merge(connectionId, [r.value]);
  };

  return (
    <div className="chat-main">
      <section className="chat-conversation" aria-labelledby="chat-conv-title">
        <header className="chat-conv-head">
          <h2 id="chat-conv-title">{conversation.type === 'group' ? '# ' : ''}{title}</h2>
          <span className="chat-e2e small" title="Messages are encrypted on this device and can only be read by the recipients' devices.">✓ End-to-end encrypted</span>
        </header>
        <ol className="chat-messages" ref={listRef} aria-label="Messages" aria-live="polite">
          {messages.map((m) => (
            <li key={m.id} className={`chat-msg chat-msg-${m.direction}`}>
              {conversation.type === 'group' && m.direction === 'in' && <span className="chat-sender small muted" title={m.sender}>{chatDisplayName(m.sender, overview.contacts.find((c) => c.address === m.sender))}</span>}
              {m.kind === 'image' && <MessageImage connectionId={connectionId} message={m} />}
              {m.text && <p className="chat-text">{m.text}</p>}
              <span className="chat-meta small muted">
                <time dateTime={new Date(m.sentAt).toISOString()}>{new Date(m.sentAt).toLocaleTimeString()}</time>
                {m.direction === 'out' && <span className={`chat-state chat-state-${m.state}`}> · {STATE_LABEL[m.state]}</span>}
                {m.state === 'failed' && (
                  <button type="button" className="small-button" onClick={() => void retry(m.id)}>Retry</button>
                )}
              </span>
            </li>
          ))}
        </ol>
        <form className="chat-composer" onSubmit={(e) => void send(e)}>
          <label htmlFor="chat-input" className="visually-hidden">Message</label>
          <textarea
            id="chat-input"
            rows={2}
            value={text}
            maxLength={8000}
            placeholder="Write a message"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void send(e);
              }
            }}
          />
          <div className="chat-row">
            <button type="submit" className="primary">Send</button>
            <button type="button" onClick={() => fileRef.current?.click()}>Attach image</button>
            <input ref={fileRef} type="file" accept="image/jpeg,image/png,image/gif,image/webp" className="visually-hidden" aria-label="Image file" tabIndex={-1} onChange={(e) => { const f = e.target.files?.[0]; if (f) void sendFile(f); e.target.value = ''; }} />
            {cameras.length > 0 && (
              <>
                <label htmlFor="chat-snapshot-printer" className="visually-hidden">Printer for the snapshot</label>
                <select id="chat-snapshot-printer" className="chat-snapshot-picker" value={camera ?? ''} onChange={(e) => setCamera(e.target.value)}>
                  {cameras.map((c) => (
                    <option key={c.id} value={c.id}>{c.name}</option>
                  ))}
                </select>
                <button type="button" onClick={() => camera && void sendSnapshot(camera)}>Send snapshot</button>
              </>
            )}
          </div>
          {error && <p role="alert" className="chat-error">{error}</p>}
        </form>
      </section>
      <Details overview={overview} conversation={conversation} />
    </div>
  );
}
