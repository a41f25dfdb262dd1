import type { FixAction } from '../../query/athena-session';

/** The label of a fix button, as the view shows it ('' when there is nothing to click). */
export function fixLabel(action: FixAction): string {
  switch (action.kind) {
    case 'grant-folder': return 'Allow reading the folder again';
    case 'drop-files': return 'Drop the files again (Crawlers)';
    case 'paste-urls': return 'Paste fresh presigned URLs (Connections)';
    case 'run-job': return 'Run the job that writes it (Jobs)';
    case 'none': return '';
  }
}
