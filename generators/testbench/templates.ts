/** Loads and compiles the handlebars templates in the repository's `templates/` folder. */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

const compiled = new Map<string, (data: object) => string>();

/**
 * Compiles `templates/<name>` strictly: a missing field is an error, nothing is HTML-escaped. Compiled
 * once per process (every co-simulation run renders the same three templates).
 */
export function compileTemplate(name: string): (data: object) => string {
  let template = compiled.get(name);
  if (template === undefined) {
    const text = readFileSync(new URL(name, TEMPLATE_DIR), 'utf8');
    template = Handlebars.compile(text, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template;
}
