// Configuration-time checks for a vertex channel, so a key that is not a
// service account or a misspelt location is refused when the config is read,
// not on the first request. Messages never quote a key.
import { parseServiceAccount, type ServiceAccount } from './vertex-account.js';
import { vertexPlace } from './vertex.js';

export interface VertexChannelProblem {
  /** Relative to the channel: `['keys', 1]`, `['settings']`. */
  path: (string | number)[];
  message: string;
}

export function vertexChannelProblems(keys: readonly string[], settings: Record<string, unknown> = {}): VertexChannelProblem[] {
  const problems: VertexChannelProblem[] = [];
  const accounts: ServiceAccount[] = [];
  const projectSet = typeof settings.project === 'string' || typeof settings.project_id === 'string';
  keys.forEach((key, i) => {
    try {
      const sa = parseServiceAccount(key);
      accounts.push(sa);
      if (!projectSet && !sa.projectId) {
        problems.push({ path: ['keys', i], message: `the service account ${sa.clientEmail} has no project_id; set settings.project` });
      }
    } catch (err) {
      problems.push({ path: ['keys', i], message: (err as Error).message });
    }
  });
  // Location and project spelling: judged once, with any account that names a project.
  const place = vertexPlace(settings, accounts.find((sa) => sa.projectId)?.projectId ?? 'unchecked');
  if (typeof place === 'string') problems.push({ path: ['settings'], message: place });
  return problems;
}
