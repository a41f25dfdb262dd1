// Preloaded (node --import) into a child `epoxy run` by the kill tests: every file write waits a little,
// so a SIGKILL sent while the output is written lands mid-write. The writes themselves are the real ones.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const delay = Number(process.env.EPOXY_TEST_WRITE_DELAY_MS ?? '20');
const writeFile = fs.promises.writeFile;
fs.promises.writeFile = async (...args) => {
  await new Promise((resolve) => setTimeout(resolve, delay));
  return writeFile(...args);
};
syncBuiltinESMExports();
