/**
 * Prepares rendered email HTML for a sandboxed `<iframe srcDoc>`: links open in a new tab
 * (the preview frame itself never navigates away), and nothing else changes.
 */
const BASE = '<base target="_blank">';

export function withLinksInNewTab(html: string): string {
  if (/<base\b[^>]*\btarget=/i.test(html)) return html;
  const head = /<head\b[^>]*>/i.exec(html);
  if (head)
    return `${html.slice(0, head.index + head[0].length)}${BASE}${html.slice(head.index + head[0].length)}`;
  const htmlTag = /<html\b[^>]*>/i.exec(html);
  if (htmlTag)
    return `${html.slice(0, htmlTag.index + htmlTag[0].length)}<head>${BASE}</head>${html.slice(htmlTag.index + htmlTag[0].length)}`;
  return `${BASE}${html}`;
}

/**
 * The iframe sandbox: no scripts, no same-origin access, no forms; links may open a new
 * tab, which then runs unsandboxed (an unsubscribe page must be able to submit its form).
 */
export const EMAIL_FRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox";
