import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SafetyQr } from '../../../src/renderer/views/chat/SafetyQr';

describe('safety number QR code', () => {
  it('draws an SVG whose pattern depends on the number', () => {
    const svg = (fingerprint: string): string => renderToStaticMarkup(<SafetyQr address="bob@x" deviceId="dev1" fingerprint={fingerprint} />);
    const a = svg('12345 67890 12345 67890');
    expect(a).toMatch(/^<svg[^>]*role="img"/);
    expect(a).toMatch(/<path d="M\d/);
    expect(svg('12345 67890 12345 67891')).not.toBe(a);
  });
});
