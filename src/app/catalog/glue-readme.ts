import { creationOrder } from '../../jobs/glue-scripts';

/** README.txt of the Glue export zip: the order to create objects in, where scripts go, what to replace. */
export function glueReadme(files: { path: string; operation: string }[], notes: { file: string; message: string }[], failed: { job: string; why: string }[], scriptLocation: string): string {
  const lines = ['Exported from Epoxy for the AWS Glue API. Create the objects in this order, each with', '  aws glue <command> --cli-input-json file://PATH', ''];
  lines.push(...creationOrder(files).map((c) => `  ${c}`));
  lines.push('', `Upload scripts/ first: aws s3 cp scripts/ ${scriptLocation ? scriptLocation.replace(/\/+$/, '') : 's3://REPLACE_ME/scripts'}/ --recursive`);
  for (const f of failed) lines.push(`  job ${f.job} has no script here (${f.why}): preview or run it in Epoxy and download its AWS Glue script from the job's Export panel`);
  if (notes.length) {
    lines.push('', 'Check before creating (REPLACE_ME marks a value to replace):');
    lines.push(...notes.map((n) => `  ${n.file}: ${n.message}`));
  }
  return lines.join('\n') + '\n';
}
