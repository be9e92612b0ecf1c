import express, { type NextFunction, type Request, type Response } from 'express';
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The web page's files, served by express.static but only for the paths they have: mounted before
 * the routes, express.static would otherwise stat the disk for every API request (GET /image/:id
 * included) only to find nothing. The files are listed once, when the app starts.
 */
export function staticAssets(dir: string, index = 'index.html') {
  const files = new Set(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => statSync(join(dir, file)).isFile())
      .map((file) => `/${file.split(sep).join('/')}`),
  );
  files.add('/');
  const serve = express.static(dir, { index });
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method === 'GET' || req.method === 'HEAD') && files.has(req.path)) serve(req, res, next);
    else next();
  };
}
