// @mentions: `@username` anywhere a word may start. Usernames may hold `.`, `-`, `_` and `@`
// (an e-mail address is a fine username), so trailing punctuation that ends a sentence is
// tried off as well: "thanks @jane." names jane.

const MENTION = /(?:^|[^\p{L}\p{N}._@-])@([\p{L}\p{N}._@-]+)/gu;

/** The candidate usernames a message names, each with its shorter variants, lower-cased. */
export function mentionCandidates(body: string): string[] {
  const found = new Set<string>();
  for (const match of body.matchAll(MENTION)) {
    let name = match[1]!.toLowerCase();
    found.add(name);
    while (/[._@-]$/.test(name)) {
      name = name.slice(0, -1);
      if (name) found.add(name);
    }
  }
  return [...found].slice(0, 50);
}
