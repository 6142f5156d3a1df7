/** The CLI run in this process, as a user's shell would run it in `cwd`: exit code and both streams. */
import { main } from '../../src/cli/main';

export async function runIn(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTTY: false, env: {} });
  return { code, stdout, stderr };
}
