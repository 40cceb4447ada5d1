import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DeviceStatus } from '../../../../shared/contract';
import { api } from '../../../api';
import { useAppStore } from '../../../stores/app-store';
import { useTerminalLines } from './use-octoprint';

/** OctoPrint's serial terminal: the live log and a G-code prompt (several lines at once allowed). */
export function TerminalPanel({ device }: { device: DeviceStatus }) {
  const id = useId();
  const lines = useTerminalLines(device.deviceId);
  const errorToast = useAppStore((s) => s.errorToast);
  const [command, setCommand] = useState('');
  const [hideTemps, setHideTemps] = useState(true);
  const log = useRef<HTMLPreElement>(null);
  const shown = hideTemps ? lines.filter((l) => !/^(Recv:\s+(ok\s+)?T:|Send:\s+M105\b)/.test(l)) : lines;

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const commands = command
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .slice(0, 50);
    if (commands.length === 0) return;
    const r = await api().call('octoprint.terminalSend', { deviceId: device.deviceId, lines: commands });
    if (r.ok) setCommand('');
    else errorToast(`Could not send to ${device.name}`, r.error);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Terminal</h2>
      <pre ref={log} className="octoprint-terminal" role="log" aria-label={`${device.name} terminal`} tabIndex={0}>
        {shown.length === 0 ? 'No lines yet.' : shown.join('\n')}
      </pre>
      <label className="small">
        <input type="checkbox" checked={hideTemps} onChange={(e) => setHideTemps(e.target.checked)} /> Hide temperature reports
      </label>
      <form className="octoprint-prompt" onSubmit={send}>
        <label htmlFor={`${id}-cmd`} className="visually-hidden">
          G-code command
        </label>
        <input
          id={`${id}-cmd`}
          value={command}
          placeholder="G28, M105 …"
          autoComplete="off"
          spellCheck={false}
          disabled={device.link !== 'online'}
          onChange={(e) => setCommand(e.target.value)}
        />
        <button type="submit" disabled={device.link !== 'online' || command.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}
