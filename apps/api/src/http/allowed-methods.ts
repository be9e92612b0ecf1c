import type { Request } from 'express';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods the app's routes accept on this request's path (empty for an unknown path), read
 * from the router itself so the 405's `Allow` header can never disagree with the routes.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack: RouterLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    // Wildcards are middleware mounted for every path and method (Nest's forRoutes('*')), not routes.
    if (!layer.route || layer.route.path.includes('*') || layer.route.methods._all || !layer.match(req.path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
