// The extensionTestsPath the workbench loads in the extension host. It runs the real test module
// (AITD_TESTS) and writes the outcome to AITD_RESULT: the workbench reports exit code 0 both when the
// tests pass and when the extension host dies, so a missing file is how a crash shows.
const fs = require('fs');

exports.run = function run() {
  const record = (error) => fs.writeFileSync(process.env.AITD_RESULT, JSON.stringify({ ok: !error, error: error ? String(error.stack || error) : undefined }));
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (error) => {
      if (done) return;
      done = true;
      record(error);
      if (error) reject(error);
      else resolve();
    };
    try {
      const suite = require(process.env.AITD_TESTS);
      if (typeof suite.run !== 'function') throw new Error(`${process.env.AITD_TESTS} exports no run() function`);
      Promise.resolve(suite.run()).then(() => settle(), (e) => settle(e || new Error('run() rejected')));
    } catch (e) {
      settle(e);
    }
  });
};
