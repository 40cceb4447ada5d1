import type { ConnectionKind } from '../../../shared/contract';

export const KIND_LABELS: Record<ConnectionKind, string> = {
  xyz: 'da Vinci printer',
  octoprint: 'OctoPrint server',
  moonraker: 'Klipper printer (Moonraker)',
  marlin: 'Marlin printer (USB serial)',
  armory: 'Armory cloud account',
  skiserver: 'Skiserver chat',
  imss: 'IMSS image server',
  site: 'Another Printdeck site (MQTT)',
};
