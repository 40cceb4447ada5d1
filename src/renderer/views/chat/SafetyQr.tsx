import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * A safety number as a QR code (SVG drawn from the code's modules, no HTML injection), so two people can
 * compare by scanning instead of reading 60 digits aloud. The payload names the scheme, the peer and the
 * device, so a scan of the wrong contact's code cannot look like a match.
 */
export function SafetyQr({ address, deviceId, fingerprint }: { address: string; deviceId: string; fingerprint: string }) {
  const path = useMemo(() => {
    const { modules } = QRCode.create(`printdeck-safety:1:${address}:${deviceId}:${fingerprint.replace(/\s+/g, '')}`, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col + 2} ${row + 2}h1v1h-1z`;
    }
    return { d, size: modules.size + 4 };
  }, [address, deviceId, fingerprint]);
  return (
    <svg className="chat-safety-qr" viewBox={`0 0 ${path.size} ${path.size}`} width={160} height={160} role="img" aria-label={`QR code of the safety number for device ${deviceId.slice(0, 8)}`}>
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" shapeRendering="crispEdges" />
    </svg>
  );
}
