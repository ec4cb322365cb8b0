// Turns main's VALIDATION error (details.issues with a path) into one message per settings field,
// so each message can be shown next to its field rather than as a vague banner.
import type { IpcError } from '../../../../common/ipc/index.ts';

export interface FieldIssue {
  path: string[];
  message: string;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  const v = value as Partial<FieldIssue> | null;
  return !!v && Array.isArray(v.path) && v.path.every((p) => typeof p === 'string') && typeof v.message === 'string';
}

/** The first problem of each top-level field; an error that names no field gives an empty map. */
export function issuesByField(error: IpcError): Map<string, string> {
  const byField = new Map<string, string>();
  if (error.code !== 'VALIDATION') return byField;
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return byField;
  for (const issue of issues) {
    if (!isFieldIssue(issue)) continue;
    const field = issue.path[0];
    if (field !== undefined && !byField.has(field)) byField.set(field, issue.message);
  }
  return byField;
}
