import { createContext, useContext } from 'react';
import type { Api } from './api.ts';
import type { Session } from './auth.ts';
import type { ConsoleConfig } from './config.ts';

export interface ConsoleContext {
  api: Api;
  session: Session;
  config: ConsoleConfig;
  isOperator: boolean;
  isAuditor: boolean;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}
