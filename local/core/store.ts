import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The state of one emulator as a JSON document. With a file it is loaded at start and
 * written atomically (temp file + rename) after every mutation, so a crash never leaves
 * half a file; without one it lives in memory only (tests).
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
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`local cloud state file ${file} is unreadable; delete it to start fresh`, { cause: error });
    }
  }

  /** Persist the current state. Call after every mutation. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.data));
    renameSync(temp, this.file);
  }
}
