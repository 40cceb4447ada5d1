import type { ProviderFactory } from '../fleet';

/** OctoPrint servers; null until the connector lands. */
export const octoprintProvider: ProviderFactory | null = null;
