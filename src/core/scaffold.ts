/**
 * The files `aitrackdown init` creates in a project: config.yaml, counters.json, the type folders and
 * a default template per type. The CLI makes the type folders as empty directories; a list of files
 * can only create a folder by putting a file in it, and git does not keep empty folders either, so
 * each gets a `.gitkeep` (the CLI and the index read `*.md` only, so it is invisible to both).
 * The CLI's example items, README.md and .gitignore are left out: init runs inside an existing
 * folder here, where demo items and a replaced README would only be in the way.
 */
import { stringify } from 'yaml';
import { FOLDER_TYPES, initialConfigYaml, parseConfig } from './config';
import { DEFAULT_CONTENT } from './create';

const TYPE_NAMES = { epic: 'epic', issue: 'issue', task: 'task', pr: 'PR' } as const;

export function scaffoldFiles(name: string, assignee?: string): { path: string; text: string }[] {
  const configText = initialConfigYaml(name, assignee);
  // Folders and AI context as that config.yaml says, so the two can never disagree.
  const { config } = parseConfig(configText, name);
  const tasks = config.tasksDir;
  const counters = { epic: 1, issue: 1, task: 1, pr: 1, comment: 1 };
  const files = [
    { path: '.ai-trackdown/config.yaml', text: configText },
    { path: '.ai-trackdown/counters.json', text: `${JSON.stringify(counters, null, 2)}\n` },
    ...FOLDER_TYPES.map((t) => ({ path: `${tasks}/${config.dirs[t]}/.gitkeep`, text: '' })),
  ];
  for (const type of FOLDER_TYPES) {
    // The shape the CLI's own template files have (it reads content_template and frontmatter_template.description).
    const template = {
      type,
      name: 'default',
      description: `Default ${TYPE_NAMES[type]} template`,
      frontmatter_template: {
        title: `${TYPE_NAMES[type][0].toUpperCase()}${TYPE_NAMES[type].slice(1)} Title`,
        description: '',
        status: 'planning',
        priority: 'medium',
        assignee: assignee || 'unassigned',
        created_date: '',
        updated_date: '',
        estimated_tokens: 0,
        actual_tokens: 0,
        ai_context: config.raw.ai_context_templates ?? [],
        sync_status: 'local',
      },
      content_template: DEFAULT_CONTENT[type].trimEnd(),
    };
    files.push({ path: `${tasks}/${config.templatesDir}/${type}-default.yaml`, text: stringify(template, { indent: 2, lineWidth: 120 }) });
  }
  return files;
}
