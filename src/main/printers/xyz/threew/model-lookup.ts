import { findModel, findModelsByFileId, XYZ_MODELS } from '../models';
import type { XyzModel } from '../models';
import { ThreeWError } from './errors';

/** Accepts a model number or a file id, since both identify what goes into `; machine =`. */
export function resolveModel(modelOrFileId: string): XyzModel {
  const model = findModel(modelOrFileId) ?? findModelsByFileId(modelOrFileId)[0];
  if (model) return model;
  const known = XYZ_MODELS.map((m) => m.modelNumber).join(', ');
  throw new ThreeWError(
    'UNKNOWN_MODEL',
    `unknown da Vinci model ${JSON.stringify(modelOrFileId)}; known models: ${known}`,
  );
}

export function modelNumbersForFileId(fileId: string | null): string[] {
  return fileId === null ? [] : findModelsByFileId(fileId).map((m) => m.modelNumber);
}
