/** The parse of an open task document's current text, shared by diagnostics and the language features. */
import * as vscode from 'vscode';
import { outsideRefusal } from '../../core/fileRule';
import { ParseContext, parseItem, ParseResult } from '../../core/parse';
import { TaskWorkspace } from '../workspace';

export interface ParsedDocument {
  ctx: ParseContext;
  result: ParseResult;
}

/** Kept per document object (gone with it) and recomputed only when its version changes. */
const cache = new WeakMap<vscode.TextDocument, { version: number; parsed: ParsedDocument }>();

/** Per document and root: whether its path leads outside the project (checked once, not per keystroke). */
const outside = new WeakMap<vscode.TextDocument, { root: string; refused: boolean }>();

/**
 * The context a document is parsed in, or undefined when it is not a task file of a project: also
 * when it is a link out of the project, which the index does not read either (fileRule.ts).
 */
export function parseContextOf(ws: TaskWorkspace, doc: vscode.TextDocument): ParseContext | undefined {
  if (doc.uri.scheme !== 'file') return undefined;
  const file = doc.uri.fsPath;
  const where = ws.index.classify(file);
  if (!where) return undefined;
  const root = where.project.root;
  let seen = outside.get(doc);
  if (seen?.root !== root) outside.set(doc, (seen = { root, refused: outsideRefusal(root, file) !== undefined }));
  return seen.refused ? undefined : { file, root, type: where.type, config: where.project.config };
}

export function parsedDocument(ws: TaskWorkspace, doc: vscode.TextDocument): ParsedDocument | undefined {
  const ctx = parseContextOf(ws, doc);
  if (!ctx) return undefined;
  const hit = cache.get(doc);
  const same = hit && hit.version === doc.version;
  // A project's config can be reloaded under an unchanged document: the parse must be in the current one.
  if (same && hit.parsed.ctx.config === ctx.config && hit.parsed.ctx.root === ctx.root && hit.parsed.ctx.type === ctx.type) return hit.parsed;
  const parsed = { ctx, result: parseItem(doc.getText(), ctx) };
  cache.set(doc, { version: doc.version, parsed });
  return parsed;
}
