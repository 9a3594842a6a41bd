import { createContext, useContext } from 'react';
import type { OperatorApi } from '../api.js';
import type { WorkbenchLinks } from '../types.js';

export interface WorkbenchConfig {
  api: OperatorApi;
  links: WorkbenchLinks;
  /** How often the queue checks its change token (ms). */
  pollIntervalMs: number;
}

export const WorkbenchContext = createContext<WorkbenchConfig | null>(null);

export function useWorkbench(): WorkbenchConfig {
  const v = useContext(WorkbenchContext);
  if (!v) throw new Error('@parapet/ui-react: workbench pieces must be rendered inside <Workbench> (or <WorkbenchProvider>).');
  return v;
}
