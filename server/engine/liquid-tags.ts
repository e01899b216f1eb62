/**
 * Liquid tags that read other templates (`include`, `render`, `layout`). Messages are
 * self-contained, so the merge engine disables them (server/channels/merge.ts) and the
 * validator reports them on the step before a flow can be published.
 */
import { issue, type Issue } from "./issues";

export const FILE_SYSTEM_TAGS = ["include", "render", "layout"] as const;

const TAG = new RegExp(`\\{%-?\\s*(${FILE_SYSTEM_TAGS.join("|")})\\b`);

export const fileSystemTagMessage = (tag: string) =>
  `{% ${tag} %} is not available in messages; write the content in place`;

/** One issue per text of a step's settings that uses a file-system tag. */
export function fileSystemTagIssues(nodeId: string, config: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: unknown[] = [config];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      const found = TAG.exec(value);
      if (found?.[1]) issues.push(issue("invalid_merge_field", fileSystemTagMessage(found[1]), { nodeId }));
    } else if (value && typeof value === "object")
      stack.push(...Object.values(value as Record<string, unknown>));
  }
  return issues;
}
