import fs from 'node:fs/promises';
import path from 'node:path';

/** Where demo and seed credentials go, under the data folder. */
export const DEMO_KEYS_DIR = 'demo-keys';

/** `<dataDir>/demo-keys`, created owner-only (0700). */
export async function demoKeysDir(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, DEMO_KEYS_DIR);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
  return dir;
}

/**
 * Writes a file readable by its owner only (0600), replacing one of the same name (a key file
 * left from an earlier demo database is useless: its public half is not in this database).
 */
export async function writePrivateFile(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  const handle = await fs.open(file, 'w', 0o600);
  try {
    // The umask can only narrow the mode, and an existing file keeps its own: set it exactly.
    await handle.chmod(0o600);
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return file;
}

/** Writes each staff member's private key to `<dataDir>/demo-keys/<username>.pem` (0600). */
export async function writeStaffKeyFiles(
  dataDir: string,
  staff: ReadonlyArray<{ readonly username: string; readonly privateKeyPem: string }>,
): Promise<Map<string, string>> {
  const dir = await demoKeysDir(dataDir);
  const files = new Map<string, string>();
  for (const s of staff)
    files.set(s.username, await writePrivateFile(dir, `${s.username}.pem`, s.privateKeyPem));
  return files;
}
