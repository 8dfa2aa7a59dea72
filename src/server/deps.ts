// What the method modules are given, built once by the facade and read-only from then on: they
// read the catalog and use these parts, and never reach back into the facade.
import type { Implementation } from '../protocol/types.ts';
import type { Catalog } from './catalog.ts';
import type { RoundDeps } from './input-round.ts';
import type { Lists } from './lists.ts';
import type { Report } from './report.ts';
import type { Tasks } from './tasks.ts';

export interface MethodDeps {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly catalog: Catalog;
  readonly lists: Lists;
  /** Running handlers that may ask for input (store, sealer, broker, report). */
  readonly round: RoundDeps;
  readonly report: Report;
  /** The tasks extension, when the server runs it. */
  readonly tasks: Tasks | undefined;
}
