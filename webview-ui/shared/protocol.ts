/** The messages between the extension host and the board webview: one union per direction. */
import type { BoardCard, EpicRef } from '../../src/core/board';
import type { BoardFilter, BoardSettings, Swimlane } from '../../src/core/boardLayout';
import type { State } from '../../src/core/model';

export interface ProjectRef {
  root: string;
  name: string;
}

/** What the webview keeps with getState/setState, and what a restored panel is recreated from. */
export interface BoardViewState {
  root?: string;
  filter: BoardFilter;
  swimlane: Swimlane;
  showArchived: boolean;
  scrollTop?: number;
  scrollLeft?: number;
}

export type HostMessage =
  /** The whole board: sent after `ready`, and again when the project or the settings change. */
  | {
      type: 'init';
      project: ProjectRef;
      projects: ProjectRef[];
      cards: BoardCard[];
      epics: EpicRef[];
      settings: BoardSettings;
    }
  /** Cards that changed or went away since the last message. */
  | { type: 'update'; upserts: BoardCard[]; removes: string[]; epics: EpicRef[] }
  /** The outcome of a `move`: a refused or failed one puts the card back where it was. */
  | { type: 'moveResult'; requestId: number; file: string; ok: boolean; message?: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; file: string }
  | { type: 'move'; requestId: number; file: string; from: State; to: State }
  | { type: 'selectProject'; root: string };

export const BOARD_VIEW_TYPE = 'aiTrackdown.board';

// ---- the token budget panel

export type BudgetExportFormat = 'markdown' | 'csv';

/** What the budget webview keeps with getState/setState, and what a restored panel is recreated from. */
export interface BudgetViewState {
  root?: string;
  /** Per table, the column it is sorted by. */
  sort?: Partial<Record<import('../../src/core/budgetReport').TableKey, { key: string; direction: 'ascending' | 'descending' }>>;
}

export type BudgetHostMessage =
  /** The whole report: sent after `ready`, and again after the project's usage or budgets changed. */
  | { type: 'report'; project: ProjectRef; report: import('../../src/core/budgetReport').BudgetReport }
  /** The outcome of an `export`. */
  | { type: 'exportResult'; format: BudgetExportFormat; ok: boolean; message: string };

export type BudgetWebviewMessage =
  | { type: 'ready' }
  | { type: 'export'; format: BudgetExportFormat }
  | { type: 'open'; file: string };

export const BUDGET_VIEW_TYPE = 'aiTrackdown.budget';
