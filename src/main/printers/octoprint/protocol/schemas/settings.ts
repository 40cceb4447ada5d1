import { z } from 'zod';

/**
 * The parts of `GET /api/settings` needed to show a webcam. The `webcam` section is only
 * present with the WEBCAM permission [verified], so it is optional.
 */
const WebcamEntry = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  provider: z.string().optional(),
  canSnapshot: z.boolean().optional(),
  flipH: z.boolean().optional(),
  flipV: z.boolean().optional(),
  rotate90: z.boolean().optional(),
  compat: z
    .object({
      stream: z.string().optional(),
      snapshot: z.string().optional(),
      streamRatio: z.string().optional(),
    })
    .nullish(),
});

export const WebcamSection = z.object({
  webcamEnabled: z.boolean().optional(),
  /** Relative URLs (OctoPi: "/webcam/?action=stream") are relative to the OctoPrint base URL. */
  streamUrl: z.string().nullish(),
  /** Often a server-side loopback URL, useless from another machine. */
  snapshotUrl: z.string().nullish(),
  defaultWebcam: z.string().nullish(),
  snapshotWebcam: z.string().nullish(),
  flipH: z.boolean().optional(),
  flipV: z.boolean().optional(),
  rotate90: z.boolean().optional(),
  streamRatio: z.string().optional(),
  webcams: z.array(WebcamEntry).catch([]).optional(),
});
export type WebcamSection = z.infer<typeof WebcamSection>;

/** Since 1.9 the URLs live in the classic webcam plugin's settings; defaults are "". */
export const ClassicWebcamSettings = z.object({
  stream: z.string().nullish(),
  snapshot: z.string().nullish(),
  flipH: z.boolean().optional(),
  flipV: z.boolean().optional(),
  rotate90: z.boolean().optional(),
  streamRatio: z.string().optional(),
});

export const SettingsResponse = z.object({
  webcam: WebcamSection.optional(),
  plugins: z
    .object({ classicwebcam: ClassicWebcamSettings.optional().catch(undefined) })
    .optional(),
});
export type SettingsResponse = z.infer<typeof SettingsResponse>;
