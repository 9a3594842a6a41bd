import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';

export type Route = { name: 'queue' } | { name: 'resolved' } | { name: 'incident'; id: string } | { name: 'not-found'; path: string };

/** Path-based routes under the mount: `/`, `/resolved`, `/incidents/:id`. */
export function parseRoute(pathname: string, basePath: string): Route {
  let rest = pathname;
  if (basePath && (rest === basePath || rest.startsWith(`${basePath}/`))) rest = rest.slice(basePath.length);
  rest = rest.replace(/\/+$/, '') || '/';
  if (rest === '/') return { name: 'queue' };
  if (rest === '/resolved') return { name: 'resolved' };
  const m = /^\/incidents\/([^/]+)$/.exec(rest);
  if (m) return { name: 'incident', id: decodeURIComponent(m[1]!) };
  return { name: 'not-found', path: rest };
}

interface RouterValue {
  route: Route;
  href(path: string): string;
  navigate(path: string): void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function useRouter(): RouterValue {
  const v = useContext(RouterContext);
  if (!v) throw new Error('@parapet/ui-react: workbench pieces must be rendered inside <Workbench> (or <WorkbenchRouter>).');
  return v;
}

/**
 * History-API routing inside `basePath`. With `memory`, routes live in state only (a host that
 * renders the workbench inside its own routed page and does not want the URL to change).
 */
export function WorkbenchRouter({ basePath, memory, initialPath, children }: { basePath: string; memory?: boolean; initialPath?: string; children: ReactNode }) {
  const base = basePath.replace(/\/+$/, '');
  const [pathname, setPathname] = useState(() => (memory || typeof location === 'undefined' ? `${base}${initialPath ?? '/'}` : location.pathname));
  useEffect(() => {
    if (memory) return;
    const onPop = () => setPathname(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, [memory]);
  const href = useCallback((path: string) => `${base}${path}`, [base]);
  const navigate = useCallback(
    (path: string) => {
      const full = `${base}${path}`;
      if (!memory) history.pushState(null, '', full);
      setPathname(full);
    },
    [base, memory],
  );
  return <RouterContext.Provider value={{ route: parseRoute(pathname, base), href, navigate }}>{children}</RouterContext.Provider>;
}

/** An in-app link: a real `<a href>` (open in new tab works), client-side navigation on a plain click. */
export function Link({ to, children, current, className }: { to: string; children: ReactNode; current?: boolean; className?: string }) {
  const { href, navigate } = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={href(to)} onClick={onClick} aria-current={current ? 'page' : undefined} className={className}>
      {children}
    </a>
  );
}
