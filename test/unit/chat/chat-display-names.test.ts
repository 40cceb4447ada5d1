import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { chatDisplayName } from '../../../src/shared/domain/chat-names';
import { SafetyQr } from '../../../src/renderer/views/chat/SafetyQr';

describe('what people see for chat users', () => {
  it('memo first, then the display name, else the user id without the server domain', () => {
    expect(chatDisplayName('alice@sandbox.printdeck.local', { memo: 'Al (lab 2)', nickname: 'Alice' })).toBe('Al (lab 2)');
    expect(chatDisplayName('alice@sandbox.printdeck.local', { memo: '', nickname: 'Alice' })).toBe('Alice');
    expect(chatDisplayName('alice@sandbox.printdeck.local', null)).toBe('alice');
    expect(chatDisplayName('first.last@corp@sandbox.printdeck.local')).toBe('first.last@corp');
  });

  it('draws a safety number as a QR code whose pattern depends on the number', () => {
    const svg = (fingerprint: string): string => renderToStaticMarkup(createElement(SafetyQr, { address: 'bob@x', deviceId: 'dev1', fingerprint }));
    const a = svg('12345 67890 12345 67890');
    expect(a).toMatch(/^<svg[^>]*role="img"/);
    expect(a).toMatch(/<path d="M\d/);
    expect(svg('12345 67890 12345 67891')).not.toBe(a);
  });
});
