import { createRoot } from 'react-dom/client';
import { Workbench, type WorkbenchProps } from '../index.js';
import './page.css';

// The server writes the config as a JSON data block (never executed; CSP-safe) next to <base href>.
const block = document.getElementById('parapet-workbench-config');
const config = (block?.textContent ? JSON.parse(block.textContent) : {}) as Partial<WorkbenchProps>;
const basePath = config.basePath ?? new URL(document.baseURI).pathname.replace(/\/+$/, '');

createRoot(document.getElementById('parapet-workbench')!).render(
  <Workbench apiBase={config.apiBase ?? `${basePath}/api`} basePath={basePath} links={config.links} pollIntervalMs={config.pollIntervalMs} title={config.title} />,
);
