/**
 * The visible watermark tiled over a released statement, built in one place for every output and
 * every reader: who holds the copy, when it was drawn, and the tag of the request it came from.
 */

export interface Watermark { text: string; employeeId: string; displayName: string; time: string; requestId: string }

/** Who holds the copy: an employee (name and ID on the screen), or a customer reading their own. */
export type WatermarkHolder =
  | { kind: 'staff'; employeeId: string; displayName: string }
  | { kind: 'customer'; customerId: string };

/**
 * The short tag the watermark and the record both carry, so a photographed screen leads to its
 * entry: eight characters of the request ID after its prefix (`SR-`). A customer's own copy has
 * no request, so no tag.
 */
export function watermarkTag(requestId: string): string {
  return requestId.startsWith('SR-') ? requestId.slice(3, 11) : '';
}

export function watermarkFor(holder: WatermarkHolder, requestId: string, now: Date): Watermark {
  const time = now.toISOString();
  const who = holder.kind === 'staff' ? `${holder.displayName} ${holder.employeeId}` : holder.customerId;
  const text = [who, time.slice(0, 16).replace('T', ' '), watermarkTag(requestId)].filter((part) => part !== '').join(' ');
  return holder.kind === 'staff'
    ? { text, employeeId: holder.employeeId, displayName: holder.displayName, time, requestId }
    : { text, employeeId: '', displayName: '', time, requestId };
}
