import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The state of one emulator as a JSON document. With a file it is loaded at start and
 * written atomically (temp file + rename) after every mutation, so a crash never leaves
 * half a file; without one it lives in memory only (tests). Files are the owner's only (0600,
 * folder 0700): they hold the HRIS signing secrets (Secrets Manager) and people's identities.
 */
export class JsonStore<T> {
  readonly data: T;

  constructor(
    private readonly file: string | undefined,
    initial: () => T,
  ) {
    this.data = file ? (JsonStore.read<T>(file) ?? initial()) : initial();
  }

  private static read<T>(file: string): T | undefined {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as T;
      chmodSync(file, 0o600); // a file an older version wrote world-readable
      return data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`local cloud state file ${file} is unreadable; delete it to start fresh`, { cause: error });
    }
  }

  /** Persist the current state. Call after every mutation. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    // `mode` applies when the file is created; a temp file left by a crash is rewritten, so set it again.
    writeFileSync(temp, JSON.stringify(this.data), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}
