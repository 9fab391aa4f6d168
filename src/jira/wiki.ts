import { stripUnsafe } from '../domain/userText.js';

/**
 * Everything in user text that Jira wiki would read as markup, in ONE pass (so what one rule
 * writes is never re-read by another):
 * 1. `&` starting something Jira reads as an entity (`&lt;`, `&#92;`) → `&amp;`
 * 2. a backslash → `&#92;` (in wiki `\\` is a forced line break, a lone `\` escapes)
 * 3. links, images, macros, tables, lists: `{ } [ ] | ! #` → backslash-escaped, always
 * 4. bold, italics, strike, underline, super/subscript, citation `* _ + ^ ~ ? -` → escaped,
 *    except inside a word (`ZD-77`, `snake_case`), where Jira never reads them as markup
 * 5. emoticons `(y)`, `(i)`, `(/)`, `(on)`, `(flag)`… → the `(` escaped
 * 6. smileys `:)`, `:(`, `:P`, `:D`, `;)` → the `:`/`;` as an entity
 */
const MARKUP =
  /(&(?=#?[a-z0-9]+;))|(\\)|([{}[\]|!#])|((?<![\p{L}\p{N}])[*_+^~?-]|[*_+^~?-](?![\p{L}\p{N}]))|(\((?=(?:[yni/x!+?*-]|on|off|\*[rgby]|flag|flagoff)\)))|(:(?=[()pd](?![\p{L}\p{N}]))|;(?=\)))/giu;
/** Line-start block markup made of letters (`h1.`, `bq.`), which a backslash cannot neutralise. */
const BLOCK_WORD = /^(\s*)(h[1-6]\.|bq\.)/gm;

const entity = (char: string) => `&#${char.charCodeAt(0)};`;

/**
 * Jira wiki text that shows exactly what the user typed. Templates call it as `it.wiki(value)`;
 * the template text itself is wiki markup and left alone.
 */
export function wikiEscape(text: string): string {
  return stripUnsafe(text)
    .replace(
      MARKUP,
      (
        match,
        amp?: string,
        backslash?: string,
        _always?: string,
        _span?: string,
        icon?: string,
        smiley?: string,
      ) => {
        if (amp) return '&amp;';
        if (backslash) return '&#92;';
        if (icon) return '\\(';
        if (smiley) return entity(match);
        return `\\${match}`;
      },
    )
    .replace(
      BLOCK_WORD,
      (_match, indent: string, word: string) => `${indent}${entity(word)}${word.slice(1)}`,
    );
}

const ESCAPED = /\\([^\p{L}\p{N}\s])|&#(\d{1,6});|&amp;/gu;

/**
 * Back from wiki text to what a person typed: undoes `wikiEscape` exactly (a backslash before
 * punctuation, numeric entities, `&amp;`), so text the bot wrote comes back unchanged. Other
 * markup a Jira user typed (`*bold*`) is kept as written.
 */
export function wikiUnescape(text: string): string {
  return text.replace(ESCAPED, (match, escaped?: string, code?: string) => {
    if (escaped) return escaped;
    if (code) return String.fromCodePoint(Number(code));
    return '&';
  });
}
