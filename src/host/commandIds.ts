/** Every command the extension contributes; a test checks package.json against this list. */
export const COMMANDS = {
  initProject: 'aiTrackdown.initProject',
  createEpic: 'aiTrackdown.createEpic',
  createIssue: 'aiTrackdown.createIssue',
  createTask: 'aiTrackdown.createTask',
  createPR: 'aiTrackdown.createPR',
  changeState: 'aiTrackdown.changeState',
  assign: 'aiTrackdown.assign',
  addLabel: 'aiTrackdown.addLabel',
  removeLabel: 'aiTrackdown.removeLabel',
  linkToParent: 'aiTrackdown.linkToParent',
  goToTask: 'aiTrackdown.goToTask',
  openItem: 'aiTrackdown.openItem',
  deleteItem: 'aiTrackdown.deleteItem',
  migrate: 'aiTrackdown.migrate',
  logTokenUsage: 'aiTrackdown.logTokenUsage',
  importClaudeCodeUsage: 'aiTrackdown.importClaudeCodeUsage',
  refresh: 'aiTrackdown.refresh',
  filter: 'aiTrackdown.filter',
  clearFilter: 'aiTrackdown.clearFilter',
  revealActiveFile: 'aiTrackdown.revealActiveFile',
  openBoard: 'aiTrackdown.openBoard',
  openBudget: 'aiTrackdown.openBudget',
  generateLlmsTxt: 'aiTrackdown.generateLlmsTxt',
  copyAiContext: 'aiTrackdown.copyAiContext',
  startWork: 'aiTrackdown.startWork',
  showTaskHistory: 'aiTrackdown.showTaskHistory',
  installCommitHook: 'aiTrackdown.installCommitHook',
  uninstallCommitHook: 'aiTrackdown.uninstallCommitHook',
  syncConfigure: 'aiTrackdown.sync.configure',
  syncNow: 'aiTrackdown.sync.now',
  syncItem: 'aiTrackdown.sync.item',
  syncStatus: 'aiTrackdown.sync.status',
  syncResolveConflict: 'aiTrackdown.sync.resolveConflict',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Context keys used in package.json when-clauses and walkthrough completion events. */
export const CONTEXT = {
  ready: 'aiTrackdown.ready',
  hasProject: 'aiTrackdown.hasProject',
  hasLegacy: 'aiTrackdown.hasLegacy',
  empty: 'aiTrackdown.empty',
  filterActive: 'aiTrackdown.filterActive',
  /** A state was changed in this window (the walkthrough's "Change a state" step completes on it). */
  stateChanged: 'aiTrackdown.stateChanged',
} as const;

export const VIEWS = {
  hierarchy: 'aiTrackdown.hierarchy',
  byState: 'aiTrackdown.byState',
  byAssignee: 'aiTrackdown.byAssignee',
} as const;
