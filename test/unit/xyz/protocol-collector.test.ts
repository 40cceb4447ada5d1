import { describe, expect, it } from 'vitest';
import {
  XyzReplyCollector,
  XyzReplyParser,
  actionHome,
  actionLoadFilament,
  asciiBytes,
  configJob,
  configZOffsetGet,
  queryRequest,
  uploadDidFinishRequest,
  type XyzCollectorStep,
  type XyzExpectation,
  type XyzLink,
} from '../../../src/main/printers/xyz/protocol';

function run(
  expectation: XyzExpectation,
  link: XyzLink,
  text: string,
): { steps: XyzCollectorStep[]; collector: XyzReplyCollector } {
  const collector = new XyzReplyCollector(expectation, link);
  const steps: XyzCollectorStep[] = [];
  for (const e of new XyzReplyParser().feed(asciiBytes(text))) {
    const step = collector.accept(e);
    steps.push(step);
    if (step.status === 'done') break;
  }
  return { steps, collector };
}

const last = (steps: XyzCollectorStep[]): XyzCollectorStep | undefined => steps.at(-1);

describe('XyzReplyCollector', () => {
  it('USB query ends at $, ignoring a stray leading $ and the 1.1 Plus leading ok', () => {
    const { steps } = run(queryRequest('a'), 'usb', '$\nok\nn:da Vinci 1.1 Plus\n$\n');
    expect(last(steps)).toEqual({
      status: 'done',
      reply: { kind: 'fields', fields: [{ key: 'n', value: 'da Vinci 1.1 Plus' }], complete: true },
    });
  });

  it('TCP single-key query ends when all requested keys arrived (no $)', () => {
    const { steps } = run(queryRequest('jt'), 'tcp', 'j:9511,0\nt:1,22,0\n');
    expect(last(steps)).toMatchObject({ status: 'done', reply: { kind: 'fields', complete: true } });
  });

  it('TCP query=a still waits for $', () => {
    const { steps, collector } = run(queryRequest('a'), 'tcp', 'j:9511,0\nt:1,22,0\n');
    expect(last(steps)).toEqual({ status: 'pending' });
    expect(collector.settle()).toMatchObject({ kind: 'fields', complete: false });
  });

  it('E… ends any exchange as rejected', () => {
    expect(last(run(queryRequest('a'), 'usb', 'E7$\n').steps)).toEqual({
      status: 'done',
      reply: { kind: 'rejected', code: 7, text: 'E7$' },
    });
  });

  it('USB config: ok; zoffset:get: bare value', () => {
    expect(last(run(configJob('pause'), 'usb', 'ok\n$\n').steps)).toEqual({ status: 'done', reply: { kind: 'ok' } });
    expect(last(run(configZOffsetGet(), 'usb', '-469\n$\n').steps)).toEqual({
      status: 'done',
      reply: { kind: 'value', text: '-469' },
    });
  });

  it('TCP config and action are settle-based (printer says nothing)', () => {
    const c = new XyzReplyCollector(configJob('cancel'), 'tcp');
    expect(c.waitMode).toBe('settle');
    expect(c.settle()).toEqual({ kind: 'no-reply', okCount: 0 });
    expect(new XyzReplyCollector(actionHome(), 'tcp').waitMode).toBe('settle');
  });

  it('USB action: first stat line completes; other actions are passed on as unsolicited', () => {
    const { steps } = run(actionHome(), 'usb', 'load:{"stat":"complete"}\nhome:{"stat":"start"}\n$\n');
    expect(steps[0]).toMatchObject({
      status: 'unsolicited',
      event: { kind: 'action', action: 'load', stat: 'complete' },
    });
    expect(last(steps)).toMatchObject({ status: 'done', reply: { kind: 'action', action: 'home', stat: 'start' } });
    expect(last(run(actionLoadFilament('new'), 'usb', 'load:{"stat":"start"}\n').steps)).toMatchObject({
      status: 'done',
      reply: { stat: 'start' },
    });
  });

  it('uploadDidFinish counts optional ok lines and never completes on its own', () => {
    const { steps, collector } = run(uploadDidFinishRequest(), 'tcp', 'ok\nok \n');
    expect(steps.every((s) => s.status === 'pending')).toBe(true);
    expect(collector.waitMode).toBe('settle');
    expect(collector.settle()).toEqual({ kind: 'no-reply', okCount: 2 });
  });

  it('upload blocks complete on ok; protocol errors end the wait', () => {
    expect(last(run({ verb: 'block', index: 3 }, 'usb', 'ok\n').steps)).toEqual({
      status: 'done',
      reply: { kind: 'ok' },
    });
    const c = new XyzReplyCollector({ verb: 'block', index: 0 }, 'usb');
    expect(c.accept({ kind: 'protocol-error', code: 'line-too-long', detail: 'x' })).toMatchObject({
      status: 'done',
      reply: { kind: 'protocol-error' },
    });
    expect(new XyzReplyCollector({ verb: 'block', index: 0 }, 'usb').settle()).toEqual({ kind: 'timeout' });
  });
});
