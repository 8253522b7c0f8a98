/**
 * The render step: one renderer per output a request may ask for. The screen and print outputs are
 * the view itself (the console draws and prints it under the watermark); CSV is a file; PDF has its
 * slot and says it is not available until the marking capability renders it.
 */
import { FlowguardError } from '../../errors.ts';
import type { StatementView } from './statement-view.ts';
import { statementCsv } from './statement-csv.ts';

export type StatementOutput = 'view' | 'print' | 'csv' | 'pdf';

/** What goes to the reader, complete before anything is sent. */
export type Rendered =
  | { kind: 'view'; body: StatementView }
  | { kind: 'file'; contentType: string; filename: string; body: string };

export type Renderer = (view: StatementView, opts: { timeZone: string }) => Rendered;

const asView: Renderer = (view) => ({ kind: 'view', body: view });

const RENDERERS: Record<StatementOutput, Renderer | null> = {
  view: asView,
  print: asView,
  csv: (view, { timeZone }) => ({ kind: 'file', contentType: 'text/csv; charset=utf-8', filename: `statement-${view.requestId}.csv`, body: statementCsv(view, timeZone) }),
  pdf: null,
};

/** The renderer for an output; refused before anything is read when the output has none yet. */
export function rendererFor(output: string): Renderer {
  const renderer = Object.hasOwn(RENDERERS, output) ? RENDERERS[output as StatementOutput] : null;
  if (!renderer) throw new FlowguardError('output_not_available', `${output.toUpperCase()} statements come with the marking capability; request view, csv or print for now.`);
  return renderer;
}
