import { useCallback, useEffect, useRef, useState } from 'react';
import { useConsole } from './context.ts';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown; retry: () => void }
  | { state: 'ready'; data: T; reload: () => void };

/**
 * GETs `path` (undefined: not yet) and keeps the answer; with `everyMs`, polls it again on that
 * interval while the page is open and visible, so statuses move without a reload.
 */
export function useGet<T>(path: string | undefined, everyMs?: number): Loaded<T> {
  const { api } = useConsole();
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const current = useRef(path);
  current.current = path;
  useEffect(() => {
    if (path === undefined) return;
    let live = true;
    api.get<T>(path).then(
      (data) => live && current.current === path && setResult({ state: 'ready', data, reload }),
      (error: unknown) => live && current.current === path && setResult({ state: 'error', error, retry: reload }),
    );
    return () => {
      live = false;
    };
  }, [api, path, tick, reload]);
  useEffect(() => {
    if (!everyMs) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs, reload]);
  return result;
}

export interface Submit {
  /** True while an action runs: buttons disable themselves and say so. */
  busy: boolean;
  /** The last action's failure (or a refusal set with `fail`), for `<ErrorNote>`. */
  error: unknown;
  /** Runs `action`: busy while it runs, its failure kept as `error`, the previous error cleared. */
  run: (action: () => Promise<void>) => Promise<void>;
  /** Shows a refusal without running anything (a missing reason). */
  fail: (error: unknown) => void;
}

/** The busy / error / submit block every form and action button of the console shares. */
export function useSubmit(): Submit {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, fail: setError };
}
