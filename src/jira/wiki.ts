import { stripUnsafe } from '../domain/userText.js';

/**
 * Characters that start or end wiki markup: links, images, macros, tables, lists (always), and
 * bold, italics, strike, underline, super/subscript, citation — except inside a word (`ZD-77`,
 * `snake_case`), where Jira never reads them as markup and a backslash would only be noise.
 */
const INLINE = /[\\{}[\]|!#]|(?<![\p{L}\p{N}])[*_+^~?-]|[*_+^~?-](?![\p{L}\p{N}])/gu;
/** Line-start block markup made of letters, which a backslash cannot neutralise. */
const BLOCK_WORD = /^(\s*)(h[1-6]\.|bq\.)/gm;

/**
 * Jira wiki text that shows exactly what the user typed. A backslash is written as an entity:
 * in wiki markup `\\` is a forced line break and a lone `\` escapes what follows. Every markup
 * character gets a backslash (`!url!` images, `[x|url]` links, `{code}`, `*bold*`, `----`,
 * `-+^~??` and line-start `#`/`*`/`-` lists); `h1.`/`bq.` at a line start get their first
 * letter as an entity. Templates call it as `it.wiki(value)`; the template text itself is wiki.
 */
export function wikiEscape(text: string): string {
  return stripUnsafe(text)
    .replace(INLINE, (char) => (char === '\\' ? '&#92;' : `\\${char}`))
    .replace(
      BLOCK_WORD,
      (_match, indent: string, word: string) => `${indent}&#${word.charCodeAt(0)};${word.slice(1)}`,
    );
}
