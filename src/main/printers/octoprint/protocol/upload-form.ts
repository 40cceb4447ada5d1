import type { FormField } from '../../links/multipart';

/**
 * The form of `POST /api/files/{local,sdcard}`. Form fields OctoPrint reads [verified]: `file`
 * (the part with a filename; "/" in the name creates sub-folders), and optionally `path` (target
 * folder), `select` and `print` ("true"; print implies select), `userdata` (a JSON string).
 */
export interface UploadFields {
  /** Name the file gets on the server; may contain "/" for sub-folders. UTF-8 is fine. */
  fileName: string;
  /** Target folder on the server ("" or undefined = top level). */
  path?: string | undefined;
  select?: boolean | undefined;
  /** Start printing right away (implies select). Ignored by the server if not operational. */
  print?: boolean | undefined;
  /** Free JSON string stored alongside the file. */
  userdata?: string | undefined;
}

/** The plain fields in the order they are written; unset options are left out. */
export function octoPrintFormFields(fields: UploadFields): FormField[] {
  const out: FormField[] = [];
  if (fields.path !== undefined && fields.path !== '') out.push(['path', fields.path]);
  if (fields.select === true) out.push(['select', 'true']);
  if (fields.print === true) out.push(['print', 'true']);
  if (fields.userdata !== undefined) out.push(['userdata', fields.userdata]);
  return out;
}
