/**
 * The release pipeline: every output of a statement — screen, print, CSV, and PDF when it comes —
 * passes the same steps in the same order:
 *
 *   read → shape → mask → mark → render → record → respond
 *
 * The output is rendered in full before the release is recorded, and recorded (committed) before the
 * caller may send a byte: a reader never holds a copy the record does not show, and a failed render
 * leaves no entry for a copy nobody got. `respond` is the route's (src/access/release/respond.ts).
 */
import type { Masker } from '../masking.ts';
import { markStatement, maskStatement, type ShapedStatement, type StatementView } from './statement-view.ts';
import { rendererFor, type Rendered } from './render.ts';
import type { Watermark } from './watermark.ts';

export interface Release<Read> {
  output: string;
  /** Reads from the statement source (and the bank's customer row). */
  read(): Promise<Read>;
  shape(read: Read): ShapedStatement;
  masker: Masker;
  unmasked: string[];
  watermark: Watermark;
  /** The bank's zone, for dates in files. */
  timeZone: string;
  /** Appends the release's entry; resolves once it is committed. */
  record(view: StatementView, read: Read): Promise<void>;
}

export async function runRelease<Read>(release: Release<Read>): Promise<Rendered> {
  // An output without a renderer is refused before any customer data is read.
  const render = rendererFor(release.output);
  const read = await release.read();
  const view = markStatement(maskStatement(release.shape(read), release.masker, release.unmasked), release.watermark);
  const rendered = render(view, { timeZone: release.timeZone });
  await release.record(view, read);
  return rendered;
}
