/**
 * Words a requester-facing reason must never contain: they would tell the employee why a customer is
 * special (product rule: "Requesters never learn why a customer is special"). Checked when a policy
 * set is loaded, so a bank's own edits cannot leak it either.
 */
export const WORDS_HIDDEN_FROM_REQUESTER: readonly string[] = [
  'vip', '贵宾', 'public figure', '名人', '公众人物', 'relative', '亲属', 'employee', '员工',
  'honeytoken', 'decoy', '诱饵', 'colleague account', 'celebrity',
];

/** The hidden words that `text` contains (case-insensitive), empty when it is safe to show. */
export function findHiddenWords(text: string): string[] {
  const lower = text.toLowerCase();
  return WORDS_HIDDEN_FROM_REQUESTER.filter((word) => lower.includes(word));
}
