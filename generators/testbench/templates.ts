/** Loads and compiles the handlebars templates in the repository's `templates/` folder. */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

/** Compiles `templates/<name>` strictly: a missing field is an error, nothing is HTML-escaped. */
export function compileTemplate(name: string): (data: object) => string {
  const text = readFileSync(new URL(name, TEMPLATE_DIR), 'utf8');
  return Handlebars.compile(text, { noEscape: true, strict: true });
}
